/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Origin (and optional path) of an API on another origin; unset means same origin. */
  readonly VITE_API_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
