// discovery/v1 defaults: every port gets name "" and protocol TCP. name must really be "" and not
// absent — kubectl describe dereferences it.
import { type Obj, arr } from '../validation/common.js';

export function setEndpointSliceDefaults(slice: Obj): void {
  for (const p of arr(slice.ports)) {
    if (p.name === undefined || p.name === null) p.name = '';
    if (p.protocol === undefined || p.protocol === null) p.protocol = 'TCP';
  }
}
