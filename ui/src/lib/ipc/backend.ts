// The UI's only door to the outside world. Stores and components depend on this interface,
// never on @tauri-apps/api directly: `tauri.ts` implements it over the generated bindings,
// `fake.ts` in memory for tests and for running the UI in a plain browser.

import type { DocumentView, IpcError } from './bindings';

export type { CueDto, DiagnosticDto, DocumentView, FormatDto, IpcError, SeverityDto } from './bindings';

/** The result shape of every command (what the generated bindings return). */
export type Result<T, E = IpcError> = { status: 'ok'; data: T } | { status: 'error'; error: E };

export interface Backend {
  /** The document the app was started with: the file from the command line, or the demo. */
  initialDocument(): Promise<Result<DocumentView>>;
  /** Opens the transcript at `path` (read-only for now). */
  openDocument(path: string): Promise<Result<DocumentView>>;
  /** Sets the native window title. */
  setTitle(title: string): Promise<void>;
}
