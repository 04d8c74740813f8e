// The cue list's rows and their text fields, as the component tests find them (by role,
// data-cue-index and aria-label, the hooks of docs/editor-ipc-contract.md).
import { within } from '@testing-library/svelte';

export function row(index: number): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[role="listitem"][data-cue-index="${index}"]`);
  if (!el) throw new Error(`no row ${index}`);
  return el;
}

export const text = (index: number) => within(row(index)).getByLabelText('Cue text') as HTMLTextAreaElement;
