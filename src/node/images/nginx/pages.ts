// The pages the official `nginx` image serves out of the box: /usr/share/nginx/html/index.html
// and 50x.html, and nginx's built-in error pages (ngx_http_special_response.c, CRLF lines).

/** The nginx version the look-alike reports in `Server:` and on error pages. */
export const nginxVersion = '1.29.3';

export const welcomePage = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

export const errorPage50x = `<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
`;

/** The static files of the image's default server, by URL path. */
export const staticFiles: Readonly<Record<string, string>> = {
  '/': welcomePage,
  '/index.html': welcomePage,
  '/50x.html': errorPage50x,
};

/** nginx's built-in page for an error status, e.g. "404 Not Found". */
export function specialResponsePage(statusLine: string): string {
  return [
    '<html>',
    `<head><title>${statusLine}</title></head>`,
    '<body>',
    `<center><h1>${statusLine}</h1></center>`,
    `<hr><center>nginx/${nginxVersion}</center>`,
    '</body>',
    '</html>',
    '',
  ].join('\r\n');
}
