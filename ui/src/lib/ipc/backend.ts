// The UI's only door to the outside world. Stores and components depend on this interface,
// never on @tauri-apps/api directly: `tauri.ts` implements it over the generated bindings,
// `src/fake/backend.ts` in memory for the component tests and for running the UI in a plain browser
// (`npm run dev`; never in the product bundle).
//
// Wire types come from the generated `bindings.ts` (never hand-copied); this module only
// re-exports them and names a few shapes derived from them.

import type {
  AudioView,
  CompareRowDto,
  DocumentChanged,
  DocumentView,
  EditDto,
  FindHit,
  FlagsView,
  FolderView,
  GitChangeDto,
  GitChangeRef,
  GitCommitDto,
  GitMarksDto,
  GitStatusDto,
  IpcError,
  ListChanged,
  PlanDto,
  ProgressChanged,
  ProgressSummary,
  ProgressView,
  PlanTarget,
  PlaybackChanged,
  PlaybackCommand,
  ProjectChangeDto,
  ProjectChanged,
  ProjectProgress,
  ProjectSearchDto,
  ProjectView,
  RecoveryOffer,
  ReplaceTarget,
  SearchQueryDto,
  SettingsDto,
  WaveformDto,
  WaveformProgress,
  WordListDto,
} from './bindings';

export type {
  CueFlagsDto,
  FlagDto,
  FlagKindDto,
  FlagsView,
  ListChanged,
  WordListDto,
  AudioSource,
  AudioView,
  PlaybackChanged,
  PlaybackCommand,
  WaveformDto,
  WaveformProgress,
  WaveformStatus,
  ChangeKind,
  CompareRowDto,
  ComparedCueDto,
  DocumentChanged,
  RecoveryOffer,
  SaveStatusDto,
  SettingsDto,
  CommandId as MenuCommandId,
  CueDto,
  DiagnosticDto,
  DocumentView,
  EditDto,
  EpisodeDto,
  FindHit,
  FolderView,
  FormatDto,
  GitAvailability,
  GitChangeDto,
  GitChangeKind,
  GitChangeRef,
  GitCommitDto,
  GitCueDto,
  GitFileDto,
  GitMarkDto,
  GitMarksDto,
  GitStatusDto,
  WordRunDto,
  WordRunKind,
  IpcError,
  ReplaceTarget,
  SearchQueryDto,
  SeverityDto,
  FoundByDto,
  PlanCountsDto,
  PlanDto,
  PlanFileDto,
  PlanHitDto,
  PlanTarget,
  ProgressStage,
  ProjectChangeDto,
  ProjectChanged,
  ProjectEpisodeDto,
  ProjectFileDto,
  ProjectFileHitsDto,
  ProjectHitDto,
  ProjectProgress,
  ProjectSearchDto,
  ProjectView,
  MarkDto,
  ProgressChanged,
  ProgressSummary,
  ProgressView,
} from './bindings';

/** The result shape of every command (what the generated bindings return). */
export type Result<T, E = IpcError> = { status: 'ok'; data: T } | { status: 'error'; error: E };

/** Stops listening to an event. */
export type Unlisten = () => void;

export interface Backend {
  /** The document the app was started with: the file from the command line, or the demo. */
  initialDocument(): Promise<Result<DocumentView>>;
  /** The folder the app was started with (`cueline-desktop DIR`), if any. */
  initialFolder(): Promise<Result<FolderView | null>>;
  /** Opens the transcript at `path` (or returns it if it is already open). */
  openDocument(path: string): Promise<Result<DocumentView>>;
  getDocument(docId: number): Promise<Result<DocumentView>>;
  /** Applies all edits, made against the view of `baseRevision`, as one undo step, all or
   * nothing; `StaleRevision` when the document moved on since (a reload from disk). */
  applyEdits(docId: number, baseRevision: number, edits: EditDto[]): Promise<Result<DocumentView>>;
  /** Journals text typed into cue `cue` that is not an edit yet (crash safety while typing). */
  journalDraft(docId: number, cue: number, text: string): Promise<Result<null>>;
  undo(docId: number): Promise<Result<DocumentView>>;
  redo(docId: number): Promise<Result<DocumentView>>;
  saveDocument(docId: number): Promise<Result<DocumentView>>;
  /** Save As: writes the document to `path`, which becomes its file. */
  saveDocumentAs(docId: number, path: string): Promise<Result<DocumentView>>;
  /** The native save dialog, suggesting `defaultPath`; `null` when cancelled. */
  pickSavePath(defaultPath: string): Promise<string | null>;
  findInDocument(docId: number, query: SearchQueryDto): Promise<Result<FindHit[]>>;
  replaceInDocument(
    docId: number,
    query: SearchQueryDto,
    replacement: string,
    /** The hit to replace, or `null` for all of them. */
    target: ReplaceTarget | null,
  ): Promise<Result<DocumentView>>;
  openFolder(path: string): Promise<Result<FolderView>>;
  recentFiles(): Promise<Result<string[]>>;
  closeDocument(docId: number): Promise<Result<null>>;
  /** Closes the window even though documents are unsaved (after the user said so). */
  forceClose(): Promise<void>;
  /** Sets the native window title. */
  setTitle(title: string): Promise<void>;
  /** The native open dialog: a transcript file, or `null` when cancelled. */
  pickFile(): Promise<string | null>;
  /** The native open dialog for a folder, or `null` when cancelled. */
  pickFolder(): Promise<string | null>;
  /** The window is being closed while a document is unsaved (Rust prevented the close). */
  onCloseRequested(handler: () => void): Promise<Unlisten>;
  /** A native menu item was chosen; `id` is a command id of the keyboard map. */
  onMenuCommand(handler: (id: string) => void): Promise<Unlisten>;
  /** Conflict: the document becomes the file on disk (one undo step). */
  reloadTheirs(docId: number): Promise<Result<DocumentView>>;
  /** Conflict: the file is overwritten with the document. */
  keepMine(docId: number): Promise<Result<DocumentView>>;
  /** The cues where the file on disk (theirs) and the document (mine) differ. */
  compareWithDisk(docId: number): Promise<Result<CompareRowDto[]>>;
  /** Unsaved edits found in a crash journal (when the view says `recoveryPending`). */
  recoveryOffer(docId: number): Promise<Result<RecoveryOffer | null>>;
  restoreUnsaved(docId: number): Promise<Result<DocumentView>>;
  discardUnsaved(docId: number): Promise<Result<DocumentView>>;
  getSettings(): Promise<Result<SettingsDto>>;
  setSettings(settings: SettingsDto): Promise<Result<SettingsDto>>;
  /** A document changed outside a command: autosaved, reloaded, in conflict, deleted. */
  onDocumentChanged(handler: (e: DocumentChanged) => void): Promise<Unlisten>;
  /** Files or folders were dropped on the window, or a second launch (`cueline FILE`) handed
   * its file or folder to this window (Rust has recorded them as chosen). */
  onOpenRequested(handler: (paths: string[]) => void): Promise<Unlisten>;

  // ----- audio --------------------------------------------------------------------------
  /** The audio of a document (chosen earlier or found beside it), loaded at its last playhead. */
  audioForDocument(docId: number): Promise<Result<AudioView>>;
  /** Attaches the audio file at `path` to the document (remembered for next time). */
  attachAudio(docId: number, path: string): Promise<Result<AudioView>>;
  detachAudio(docId: number): Promise<Result<AudioView>>;
  /** Runs a transport command; answers the transport's state. */
  playback(command: PlaybackCommand): Promise<Result<PlaybackChanged>>;
  playbackState(): Promise<Result<PlaybackChanged>>;
  /** Remembers the cue and playhead of a document for next time. */
  rememberPlace(docId: number, cueIndex: number | null, positionMs: number | null): Promise<Result<null>>;
  /** Waveform columns of the loaded audio for a time range (or its progress). */
  waveform(startMs: number, endMs: number, columns: number): Promise<Result<WaveformDto>>;
  /** The native open dialog for an audio file, or `null` when cancelled. */
  pickAudio(): Promise<string | null>;
  /** The transport changed (every change; every 50 ms while playing). */
  onPlayback(handler: (e: PlaybackChanged) => void): Promise<Unlisten>;
  /** The waveform is computing, ready or failed. */
  onWaveformProgress(handler: (e: WaveformProgress) => void): Promise<Unlisten>;

  // ----- repository mode: the folder as a project -------------------------------------
  /** Opens the folder at `path` as the window's project (indexes every transcript). */
  openProject(path: string): Promise<Result<ProjectView>>;
  /** The open project with the open documents' state (modified, conflict), or `null`. */
  projectView(): Promise<Result<ProjectView | null>>;
  /** Searches the project; a newer `generation` cancels an older query, which answers `null`. */
  searchProject(query: SearchQueryDto, generation: number): Promise<Result<ProjectSearchDto | null>>;
  /** A replace across the project (pairs followed), for review. The newest plan is the one kept. */
  planProjectReplace(query: SearchQueryDto, replacement: string): Promise<Result<PlanDto>>;
  /** Every fix of the project's glossary, for review. */
  planGlossary(): Promise<Result<PlanDto>>;
  /** Includes or excludes a hit (with its partner) or a file of the plan under review. */
  setPlanIncluded(planId: number, target: PlanTarget, included: boolean): Promise<Result<PlanDto>>;
  /** Applies the plan under review as one operation (progress as `onProjectProgress`). */
  applyProjectPlan(planId: number): Promise<Result<ProjectChangeDto>>;
  /** Undoes the last project replace in every file. */
  undoProjectReplace(): Promise<Result<ProjectChangeDto>>;
  /** An apply is under way. */
  onProjectProgress(handler: (e: ProjectProgress) => void): Promise<Unlisten>;
  /** Files of the project changed on disk (and were indexed again). */
  onProjectChanged(handler: (e: ProjectChanged) => void): Promise<Unlisten>;

  // ----- review pass: spelling and sounds-like flags ---------------------------------
  /** The flags that changed after generation `since` (0: all); only edited cues are checked again. */
  reviewFlags(docId: number, since: number): Promise<Result<FlagsView>>;
  /** Every suggestion for a flagged word: known words first, then the dictionary's. */
  flagSuggestions(docId: number, word: string): Promise<Result<string[]>>;
  /** Appends a word to the project's or the user's word list. */
  addKnownWord(docId: number, word: string, list: WordListDto): Promise<Result<ListChanged>>;
  /** Ignore all: the text is not flagged again in this session. */
  ignoreFlagged(text: string): Promise<Result<null>>;
  /** Rejects a sounds-like flag in one cue (kept outside the transcript). */
  rejectFlag(docId: number, cueId: number, heard: string, name: string): Promise<Result<null>>;
  /** Appends `wrong` -> `right` to the project's glossary. */
  addGlossaryEntry(docId: number, wrong: string, right: string): Promise<Result<ListChanged>>;
  // ----- review progress (crates/progress) ------------------------------------------------
  /** The mark of every cue of a document (unreviewed, listened, checked) and the counts. */
  reviewProgress(docId: number): Promise<Result<ProgressView>>;
  /** Ctrl+K: checked becomes listened, anything else checked. */
  toggleChecked(docId: number, cueIndex: number): Promise<Result<ProgressView>>;
  /** The next (or previous) cue after `from` that is not checked, wrapping; null when all are. */
  nextUnreviewed(docId: number, from: number | null, forward: boolean): Promise<Result<number | null>>;
  /** The counts of the files at `paths` that have marks. */
  progressSummaries(paths: string[]): Promise<Result<ProgressSummary[]>>;
  /** Playback made cues listened. */
  onProgressChanged(handler: (e: ProgressChanged) => void): Promise<Unlisten>;
  // ----- git (issue 14): what changed since the last commit, and committing -------------
  /** A document's change marks against the last commit; `refresh` looks at HEAD again. */
  gitMarks(docId: number, refresh: boolean): Promise<Result<GitMarksDto>>;
  /** One change with its committed version and the words that differ. */
  gitChange(docId: number, change: GitChangeRef): Promise<Result<GitChangeDto>>;
  /** Revert to last commit: puts one cue back as committed (one undo step). */
  gitRevertCue(docId: number, change: GitChangeRef): Promise<Result<DocumentView>>;
  /** The changed files of the work tree holding `near` (a file or folder). */
  gitStatus(near: string): Promise<Result<GitStatusDto>>;
  /** The message the commit dialog starts from for `paths` (relative to the root). */
  gitCommitMessage(near: string, paths: string[]): Promise<Result<string>>;
  /** Commits exactly `paths`, after saving their unsaved edits. */
  gitCommit(near: string, paths: string[], message: string): Promise<Result<GitCommitDto>>;
}
