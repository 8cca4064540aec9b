// The client layer every svcnet component talks to the API server through (svcnet's own or any
// Kubernetes cluster): REST verbs and watch, informers and their caches, work queues, Events.
export { ApiError, apiErrorFromResponse, isAlreadyExists, isBadRequest, isConflict, isForbidden, isGone, isInvalid, isNotFound, isResourceExpired } from './api-error.js';
export { FakeClock, realClock, sleep, type Clock, type TimerHandle } from './clock.js';
export { EventRecorder, referenceTo, type EventRecorderOptions, type EventType, type ObjectReference } from './event-recorder.js';
export {
  Indexer,
  labelIndexFunc,
  metaNamespaceKey,
  NAMESPACE_INDEX,
  namespaceIndexFunc,
  SERVICE_NAME_INDEX,
  serviceNameIndexFunc,
  splitMetaNamespaceKey,
  type IndexFunc,
} from './indexer.js';
export { SharedInformer, type CacheReader, type DeleteInfo, type HandlerRegistration, type ResourceEventHandler, type SharedInformerOptions } from './informer.js';
export { SharedInformerFactory, type InformerRequest, type SharedInformerFactoryOptions } from './informer-factory.js';
export { inClusterConnection, loadKubeconfig, parseKubeconfig, type ClusterConnection } from './kubeconfig.js';
export { listWatchFor, Reflector, type ListerWatcher, type ListWatchSelector, type ReflectorOptions, type ReflectorStore } from './reflector.js';
export { groupVersion, resourcePath, resources, withQuery, type GroupVersionResource, type Query, type ResourceRef } from './resource-path.js';
export { patchContentTypes, RestClient, SVCNET_VERSION, type ObjectList, type PatchType, type RawResponse, type RestClientOptions } from './rest-client.js';
export type { WatchEvent, WatchEventType } from './watch-stream.js';
export { ItemExponentialFailureRateLimiter, RateLimitingQueue, runWorkers, type RateLimiter, type RunWorkersOptions, type WorkQueueOptions } from './workqueue.js';
