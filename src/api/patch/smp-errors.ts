// The errors of k8s.io/apimachinery/pkg/util/mergepatch and strategicpatch, already mapped to
// the status the apiserver answers with (interpretStrategicMergePatchError in patch.go):
// the sentinel format errors are 400s, lists of lists 422, everything else a raw 500.
import type { StatusError } from '../errors.js';
import { goPercentS, goTypeString, goValue } from './go-format.js';
import { badPatch, unknownPatchError, unprocessablePatch } from './patch-errors.js';

export const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder';
export const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList';

export const smpErrors = {
  badPatchFormatForPrimitiveList: (): StatusError => badPatch('invalid patch format of primitive list'),
  badPatchFormatForRetainKeys: (): StatusError => badPatch('invalid patch format of retainKeys'),
  badPatchFormatForSetElementOrderList: (): StatusError => badPatch('invalid patch format of setElementOrder list'),
  noListOfLists: (): StatusError => unprocessablePatch(),
  noMergeKey: (m: unknown, key: string): StatusError =>
    unknownPatchError(`map: ${goValue(m)} does not contain declared merge key: ${key}`),
  /** ErrBadArgType(expected, actual): "expected a <type>, but received a <type>". */
  badArgType: (expected: string, actual: unknown): StatusError =>
    unknownPatchError(`expected a ${expected}, but received a ${goTypeString(actual)}`),
  badPatchType: (directive: unknown, m: unknown): StatusError =>
    unknownPatchError(`unknown patch type: ${goPercentS(directive)} in map: ${goValue(m)}`),
  mergeDirectiveInList: (): StatusError => unknownPatchError('merging lists cannot yet be specified in the patch'),
  elementTypesDiffer: (lists: readonly unknown[][]): StatusError =>
    unknownPatchError(`list element types are not identical: ${goValue(lists)}`),
  noMergeKeyDeclared: (): StatusError => unknownPatchError('cannot merge lists without merge key for type struct'),
  notAMap: (index: number): StatusError => unknownPatchError(`value for key ${index} is not a map.`),
  orderMismatch: (patchList: unknown, setOrderList: unknown): StatusError =>
    unknownPatchError(
      `The order in patch list:\n${goValue(patchList)}\n doesn't match ${SET_ELEMENT_ORDER_PREFIX} list:\n${goValue(setOrderList)}\n`,
    ),
};

export const MAP_TYPE = 'map[string]interface {}';
export const SLICE_TYPE = '[]interface {}';
