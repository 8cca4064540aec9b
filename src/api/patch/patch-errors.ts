// How k8s.io/apiserver/pkg/endpoints/handlers/patch.go reports patch failures. Three shapes:
//  - 400 BadRequest with the library's message (undecodable patch, malformed directive lists);
//  - 422 Invalid with the generic text of errors.NewGenericServerResponse and empty details
//    (every RFC 6902 apply failure, lists of lists, retainKeys mismatches): the library's own
//    message is dropped, so kubectl shows "The request is invalid: the server rejected our
//    request due to an error in our request";
//  - anything else is not a StatusError upstream, so responsewriters.ErrorToAPIStatus turns it
//    into a 500 whose reason is empty (StatusReasonUnknown) and whose message is the raw error,
//    which kubectl prints as "Error from server: map: map[...] does not contain declared merge key: name".
import { StatusError, apiErrors } from '../errors.js';

export const GENERIC_UNPROCESSABLE_MESSAGE = 'the server rejected our request due to an error in our request';

/** errors.NewGenericServerResponse(422, "", GroupResource{}, "", msg, 0, false). */
export function unprocessablePatch(): StatusError {
  return new StatusError(422, 'Invalid', GENERIC_UNPROCESSABLE_MESSAGE, {});
}

/** A plain Go error surfacing from the handler: code 500, reason Unknown (""), raw message. */
export function unknownPatchError(message: string): StatusError {
  return new StatusError(500, '', message);
}

export function badPatch(message: string): StatusError {
  return apiErrors.badRequest(message);
}
