// A pseudo-terminal for `kubectl exec -t`, without native modules: a small python3 program
// (standard library `pty`) forks the command on a new pty, copies stdin → pty and pty → stdout,
// reads "cols rows" lines from fd 3 to resize (TIOCSWINSZ), and exits with the command's status.

export const PTY_HELPER = String.raw`
import errno, fcntl, os, pty, select, struct, sys, termios
cols, rows = int(sys.argv[1]), int(sys.argv[2])
argv = sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    except OSError as e:
        os.write(2, ("%s: %s\n" % (argv[0], e.strerror)).encode())
        os._exit(127)
def resize(c, r):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", r, c, 0, 0))
def write_all(f, data):
    while data:
        data = data[os.write(f, data):]
resize(cols, rows)
inputs = [fd, 0, 3]
ctl = b""
while fd in inputs:
    ready, _, _ = select.select(inputs, [], [])
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        if not data:
            break
        write_all(1, data)
    if 0 in ready:
        data = os.read(0, 65536)
        if data:
            write_all(fd, data)
        else:
            inputs.remove(0)
    if 3 in ready:
        data = os.read(3, 4096)
        if not data:
            inputs.remove(3)
        ctl += data
        while b"\n" in ctl:
            line, ctl = ctl.split(b"\n", 1)
            parts = line.split()
            if len(parts) == 2:
                resize(int(parts[0]), int(parts[1]))
_, status = os.waitpid(pid, 0)
if os.WIFSIGNALED(status):
    sys.exit(128 + os.WTERMSIG(status))
sys.exit(os.WEXITSTATUS(status))
`;

/** argv that runs `command` on a new pty of the given size. */
export function ptyArgv(command: readonly string[], cols = 80, rows = 24, python = 'python3'): string[] {
  return [python, '-c', PTY_HELPER, String(cols), String(rows), ...command];
}
