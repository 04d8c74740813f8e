// The open document as the UI holds it. Read-only for now: the editor adds drafts and edits.

import type { Backend, DiagnosticDto, DocumentView, IpcError, Result } from '../ipc/backend';

export type LoadError = {
  /** `kind` of the typed IPC error, or `Unexpected` for a failure outside the command. */
  kind: IpcError['kind'] | 'Unexpected';
  path: string;
  message: string;
};

export class DocumentStore {
  status = $state<'loading' | 'ready' | 'error'>('loading');
  /** The big list is replaced, never mutated: no deep proxies for thousands of cues. */
  view = $state.raw<DocumentView | null>(null);
  error = $state.raw<LoadError | null>(null);

  /** Diagnostics by the index of the cue they are shown with. */
  readonly byCue = $derived.by(() => {
    const map = new Map<number, DiagnosticDto[]>();
    for (const d of this.view?.diagnostics ?? []) {
      if (d.cueIndex === null) continue;
      const list = map.get(d.cueIndex);
      if (list) list.push(d);
      else map.set(d.cueIndex, [d]);
    }
    return map;
  });

  /** Diagnostics that belong to no cue (header, blocks before the first cue). */
  readonly documentDiagnostics = $derived(
    (this.view?.diagnostics ?? []).filter((d) => d.cueIndex === null),
  );

  readonly title = $derived(
    this.status === 'ready' && this.view ? `${this.view.fileName} — Cueline` : 'Cueline',
  );

  constructor(private readonly backend: Backend) {}

  loadInitial(): Promise<void> {
    return this.load('', () => this.backend.initialDocument());
  }

  open(path: string): Promise<void> {
    return this.load(path, () => this.backend.openDocument(path));
  }

  private async load(path: string, call: () => Promise<Result<DocumentView>>) {
    this.status = 'loading';
    let result: Result<DocumentView>;
    try {
      result = await call();
    } catch (e) {
      // A failure of the IPC itself (not a typed error from the command).
      this.fail({ kind: 'Unexpected', path, message: `Unexpected error: ${String(e)}` });
      return;
    }
    if (result.status === 'ok') {
      this.view = result.data;
      this.error = null;
      this.status = 'ready';
    } else {
      this.fail({ kind: result.error.kind, ...result.error.detail });
    }
  }

  private fail(error: LoadError) {
    this.view = null;
    this.error = error;
    this.status = 'error';
  }
}
