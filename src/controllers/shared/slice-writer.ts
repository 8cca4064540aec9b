// Writes a slice plan (creates, then updates, then deletes) and records every write in the
// EndpointSlice tracker, so the informer's echo of our own writes is recognised. Shared by the
// EndpointSlice and the mirroring controllers, whose plans differ only in who owns the slices.
import { isNotFound, resources, type RestClient } from '../../client/index.js';
import type { EndpointSlice } from '../../api/types/discovery/index.js';
import { errorMessage, isNamespaceTerminatingError } from './errors.js';
import type { EndpointSliceTracker } from './slice-tracker.js';

export interface SliceWrites {
  readonly create: readonly EndpointSlice[];
  readonly update: readonly EndpointSlice[];
  readonly delete: readonly EndpointSlice[];
}

export class SliceWriter {
  constructor(
    private readonly client: RestClient,
    private readonly tracker: EndpointSliceTracker,
  ) {}

  /** `owner` names the slices' owner in errors, e.g. "Service ns/web" or "Endpoints ns/x". */
  async apply(namespace: string, owner: string, plan: SliceWrites): Promise<void> {
    const ref = { ...resources.endpointslices, namespace };
    for (const slice of plan.create) {
      try {
        this.tracker.update(await this.client.create<EndpointSlice>(ref, slice));
      } catch (err) {
        // Creates in a terminating namespace keep failing: drop the work.
        if (isNamespaceTerminatingError(err)) return;
        throw new Error(`failed to create EndpointSlice for ${owner}: ${errorMessage(err)}`);
      }
    }
    for (const slice of plan.update) {
      try {
        this.tracker.update(await this.client.update<EndpointSlice>({ ...ref, name: slice.metadata.name! }, slice));
      } catch (err) {
        throw new Error(`failed to update ${slice.metadata.name} EndpointSlice for ${owner}: ${errorMessage(err)}`);
      }
    }
    for (const slice of plan.delete) {
      try {
        await this.delete(slice);
      } catch (err) {
        throw new Error(`failed to delete ${slice.metadata.name} EndpointSlice for ${owner}: ${errorMessage(err)}`);
      }
    }
  }

  /** Deletes one slice; already gone is fine. */
  async delete(slice: EndpointSlice): Promise<void> {
    try {
      await this.client.delete({ ...resources.endpointslices, namespace: slice.metadata.namespace, name: slice.metadata.name! });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      return;
    }
    this.tracker.expectDeletion(slice);
  }
}
