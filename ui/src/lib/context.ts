// The editor controller is shared with the components through Svelte context (one per window).

import { getContext, setContext } from 'svelte';
import type { EditorController } from './state/editor.svelte';

const KEY = Symbol('editor');

export function setEditor(ctl: EditorController): EditorController {
  return setContext(KEY, ctl);
}

export function getEditor(): EditorController {
  const ctl = getContext<EditorController | undefined>(KEY);
  if (!ctl) throw new Error('no editor in context');
  return ctl;
}
