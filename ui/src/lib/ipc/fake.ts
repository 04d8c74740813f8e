// An in-memory backend for component tests and for running the UI in a plain browser
// (`npm run dev`). It answers like the Rust side, including its typed errors.

import type { Backend, Result } from './backend';
import type { CueDto, DocumentView } from './bindings';

export class FakeBackend implements Backend {
  /** Documents by path. */
  readonly files = new Map<string, DocumentView>();
  /** Titles set so far, newest last. */
  readonly titles: string[] = [];
  /** Calls so far, for assertions. */
  readonly calls: string[] = [];

  constructor(
    files: DocumentView[] = [],
    /** What `initialDocument` opens: a path in `files` (or a missing one, to test errors). */
    public initialPath: string | null = files[0]?.path ?? null,
  ) {
    for (const f of files) this.files.set(f.path, f);
  }

  async initialDocument(): Promise<Result<DocumentView>> {
    this.calls.push('initialDocument');
    if (this.initialPath === null) return this.openDocument(DEMO.path);
    return this.open(this.initialPath);
  }

  async openDocument(path: string): Promise<Result<DocumentView>> {
    this.calls.push(`openDocument ${path}`);
    return this.open(path);
  }

  async setTitle(title: string): Promise<void> {
    this.titles.push(title);
  }

  private open(path: string): Result<DocumentView> {
    const doc = this.files.get(path) ?? (path === DEMO.path ? DEMO : undefined);
    if (doc) return { status: 'ok', data: doc };
    return {
      status: 'error',
      error: { kind: 'NotFound', detail: { path, message: `File not found: ${path}` } },
    };
  }
}

/** Builds a document view for tests: `texts[i]` becomes cue `i`, 4 s apart. */
export function makeDocument(
  texts: string[],
  { path = '/fake/episode.vtt', format = 'vtt' as DocumentView['format'], diagnostics = [] as DocumentView['diagnostics'] } = {},
): DocumentView {
  const cues: CueDto[] = texts.map((text, index) => ({
    id: index,
    index,
    line: 3 + index * 4,
    startMs: index * 4000,
    endMs: format === 'txt' ? null : index * 4000 + 3500,
    text,
  }));
  return {
    path,
    fileName: path.split('/').pop() ?? path,
    isDemo: false,
    format,
    readOnlyReason: null,
    cueCount: cues.length,
    cues,
    diagnostics,
  };
}

const DEMO: DocumentView = {
  ...makeDocument(
    [
      'Welcome to Harbor Lights, the show about small\nhistories hiding in plain sight.',
      "I'm Maren Okafor, and with me as always is Theo Lindqvist.",
      'Hi, everyone. Today we have a logbook that spent\nsixty years inside a wall.',
    ],
    { path: '/fake/demo/demo-episode.vtt' },
  ),
  isDemo: true,
};
