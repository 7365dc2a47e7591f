// Types for comlink's Node adapter when imported by its .mjs path (the package ships them as node-adapter.d.ts).
declare module 'comlink/dist/esm/node-adapter.mjs' {
  export { default } from 'comlink/dist/esm/node-adapter';
}
