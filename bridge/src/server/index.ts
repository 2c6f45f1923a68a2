export { createApp } from './app';
export type { ServerDeps, ReadinessCheck } from './app';
export { listenHttp } from './listen';
export type { HttpServer, ListenOptions } from './listen';
