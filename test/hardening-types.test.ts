// Wrongly typed values are rejected as decoding into the Go struct rejects them, never stored.
// Expected texts follow encoding/json's UnmarshalTypeError as vendored in sigs.k8s.io/json
// (internal/golang/encoding/json/decode.go: "json: cannot unmarshal <value> into Go struct field
// <Struct>.<path> of type <type>", "number <literal>" for integers that do not parse, the field
// path built from JSON names without indices) wrapped by the apiserver's transformDecodeError
// ("<Kind> in version \"v1\" cannot be handled as a <Kind>: …").
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useTestServer } from './helpers/apiserver.js';

const NS = '/api/v1/namespaces/default';
const CM = `${NS}/configmaps`;
const SVC = `${NS}/services`;
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const svcHandled = (m: string) => `Service in version "v1" cannot be handled as a Service: json: ${m}`;
const portErr = (value: string) => svcHandled(`cannot unmarshal ${value} into Go struct field ServicePort.spec.ports.port of type int32`);

/** A Service body with a raw JSON text spliced in as the first port's "port". */
const svcWithPort = (name: string, portJSON: string) =>
  `{"apiVersion":"v1","kind":"Service","metadata":{"name":"${name}"},"spec":{"ports":[{"port":${portJSON}}]}}`;

describe('hardening: typed decoding', () => {
  const t = useTestServer();

  async function expect400(path: string, body: string, message: string, headers: Record<string, string> = {}, method = 'POST') {
    const r = await t.api.request(method, path, body, headers);
    assert.equal(r.status, 400, `${body.slice(0, 120)}: ${r.text}`);
    assert.deepEqual(r.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 });
    assert.equal((await t.api.get('/readyz')).status, 200);
  }

  it('rejects wrongly typed metadata, data and spec fields with the Go decoder message', async () => {
    const cases: [string, string][] = [
      [`{"apiVersion":"v1","kind":"Service","metadata":{"name":"t","labels":["a"]},"spec":{"ports":[{"port":80}]}}`,
        svcHandled('cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string')],
      [`{"apiVersion":"v1","kind":"Service","metadata":{"name":"t","labels":{"a":5}},"spec":{"ports":[{"port":80}]}}`,
        svcHandled('cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string')],
      [`{"apiVersion":"v1","kind":"Service","metadata":{"name":"t","annotations":{"a":{"b":1}}},"spec":{"ports":[{"port":80}]}}`,
        svcHandled('cannot unmarshal object into Go struct field ObjectMeta.metadata.annotations of type string')],
      [`{"apiVersion":"v1","kind":"Service","metadata":{"name":"t","finalizers":"abc"},"spec":{"ports":[{"port":80}]}}`,
        svcHandled('cannot unmarshal string into Go struct field ObjectMeta.metadata.finalizers of type []string')],
      [`{"apiVersion":"v1","kind":"Service","metadata":{"name":"t"},"spec":{"ports":[{"port":80,"name":5}]}}`,
        svcHandled('cannot unmarshal number into Go struct field ServicePort.spec.ports.name of type string')],
      [`{"apiVersion":"v1","kind":"Service","metadata":{"name":"t"},"spec":{"ports":{"port":80}}}`,
        svcHandled('cannot unmarshal object into Go struct field ServiceSpec.spec.ports of type []v1.ServicePort')],
      [`{"apiVersion":"v1","kind":"Service","metadata":{"name":"t"},"spec":{"ports":[{"port":80}],"externalIPs":"1.2.3.4"}}`,
        svcHandled('cannot unmarshal string into Go struct field ServiceSpec.spec.externalIPs of type []string')],
      [`{"apiVersion":"v1","kind":"Service","metadata":{"name":"t"},"spec":{"ports":[{"port":80,"targetPort":8.5}]}}`,
        svcHandled('cannot unmarshal number 8.5 into Go struct field ServicePort.spec.ports.targetPort of type int32')],
      [`{"apiVersion":"v1","kind":"Service","metadata":{"name":"t"},"spec":"x"}`,
        svcHandled('cannot unmarshal string into Go struct field Service.spec of type v1.ServiceSpec')],
      [`{"apiVersion":"v1","kind":"Service","metadata":{"name":"t"},"spec":{"ports":[{"port":80}],"publishNotReadyAddresses":"yes"}}`,
        svcHandled('cannot unmarshal string into Go struct field ServiceSpec.spec.publishNotReadyAddresses of type bool')],
    ];
    for (const [body, message] of cases) await expect400(SVC, body, message);
    await expect400(CM, `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":5}}`,
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string');
    await expect400(CM, `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"binaryData":{"a":"!!"}}`,
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: illegal base64 data at input byte 0');
    await expect400(DEPLOY, `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":"2","selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}`,
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
    await expect400(DEPLOY, `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i","livenessProbe":{"httpGet":{"port":80.5}}}]}}}}`,
      // IntOrString.UnmarshalJSON's error gets the context of the embedded ProbeHandler path.
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 80.5 into Go struct field HTTPGetAction.spec.template.spec.containers.livenessProbe.ProbeHandler.httpGet.port of type int32');
  });

  it('ports: integers only, in int32 range, as Go parses them', async () => {
    for (const [lit, value] of [
      ['80.5', 'number 80.5'],
      ['80.0', 'number 80.0'],
      ['1e2', 'number 1e2'],
      ['9007199254740993', 'number 9007199254740993'],
      ['2147483648', 'number 2147483648'],
      ['"80"', 'string'],
      ['true', 'bool'],
      ['[80]', 'array'],
      ['{}', 'object'],
    ] as const) {
      await expect400(SVC, svcWithPort('p', lit), portErr(value));
    }
    // -80 is an int32: it decodes, and validation rejects it (422).
    const neg = await t.api.post(SVC, svcWithPort('neg', '-80'));
    assert.equal(neg.status, 422, neg.text);
    assert.match(neg.body.message, /spec\.ports\[0\]\.port: Invalid value: -80: must be between 1 and 65535, inclusive/);
    // A literal integer is fine however it is spaced.
    const ok = await t.api.post(SVC, svcWithPort('ok', ' 80 '));
    assert.equal(ok.status, 201, ok.text);
  });

  it('YAML bodies are checked the same way', async () => {
    const yaml = (port: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: y\nspec:\n  ports:\n  - port: ${port}\n`;
    await expect400(SVC, yaml('80.5'), portErr('number 80.5'), { 'content-type': 'application/yaml' });
    await expect400(SVC, yaml('"80"'), portErr('string'), { 'content-type': 'application/yaml' });
    await expect400(SVC, `apiVersion: v1\nkind: Service\nmetadata:\n  name: y\n  labels: [a]\nspec:\n  ports:\n  - port: 80\n`,
      svcHandled('cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string'), { 'content-type': 'application/yaml' });
  });

  it('a patch or apply that produces a wrongly typed object is rejected and stores nothing', async () => {
    const created = await t.api.post(SVC, svcWithPort('patched', '80'));
    assert.equal(created.status, 201, created.text);
    const rv = created.body.metadata.resourceVersion;
    const patches: [string, string, string][] = [
      ['application/merge-patch+json', '{"metadata":{"labels":["a"]}}', svcHandled('cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string')],
      ['application/merge-patch+json', '{"spec":{"externalIPs":"1.2.3.4"}}', svcHandled('cannot unmarshal string into Go struct field ServiceSpec.spec.externalIPs of type []string')],
      ['application/strategic-merge-patch+json', '{"spec":{"ports":[{"port":80,"name":5}]}}', svcHandled('cannot unmarshal number into Go struct field ServicePort.spec.ports.name of type string')],
      ['application/json-patch+json', '[{"op":"replace","path":"/spec/ports/0/port","value":"80"}]', portErr('string')],
      ['application/json-patch+json', '[{"op":"add","path":"/metadata/finalizers","value":"abc"}]', svcHandled('cannot unmarshal string into Go struct field ObjectMeta.metadata.finalizers of type []string')],
      ['application/json-patch+json', '[{"op":"replace","path":"/spec/ports/0/port","value":80.5}]', portErr('number 80.5')],
    ];
    for (const [type, body, message] of patches) await expect400(`${SVC}/patched`, body, message, { 'content-type': type }, 'PATCH');
    await expect400(
      `${SVC}/patched?fieldManager=tester`,
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: patched\nspec:\n  ports:\n  - port: "80"\n',
      portErr('string'),
      { 'content-type': 'application/apply-patch+yaml' },
      'PATCH',
    );
    await expect400(
      `${SVC}/patched?fieldManager=tester`,
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: patched\nspec:\n  ports:\n    port: 80\n',
      svcHandled('cannot unmarshal object into Go struct field ServiceSpec.spec.ports of type []v1.ServicePort'),
      { 'content-type': 'application/apply-patch+yaml' },
      'PATCH',
    );
    const after = await t.api.get(`${SVC}/patched`);
    assert.equal(after.body.metadata.resourceVersion, rv, 'nothing was written');
  });

  it('everything that was stored decodes in kubectl (get -o yaml, describe)', async () => {
    await t.s.kubectl.ok(['get', 'services,configmaps', '-o', 'yaml']);
    const described = await t.s.kubectl.ok(['describe', 'services']);
    assert.match(described, /Name:\s+patched/);
  });
});
