import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from '../src/App.svelte';
import { FakeBackend, makeDocument } from '../src/fake/backend';

function cueTexts(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `Cue number ${i} says something.`);
}

describe('App', () => {
  it('shows the initial document: header, cues with times, title', async () => {
    const doc = makeDocument(['Hello there.', 'Second line\nwith two lines', ''], {
      path: '/data/ep 1.vtt',
      diagnostics: [
        { severity: 'warning', line: 7, message: 'cue overlaps the previous cue', cueIndex: 1, source: null },
        { severity: 'error', line: 1, message: 'missing `WEBVTT` header', cueIndex: null, source: null },
        { severity: 'error', line: 9, message: 'not a cue', cueIndex: 1, source: 'stray text\nno timing' },
      ],
    });
    const backend = new FakeBackend([doc]);
    render(App, { backend });

    const list = await screen.findByRole('list', { name: 'Cues' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    expect(items[1]).toHaveAttribute('data-cue-index', '1');
    expect(items[1]).toHaveAttribute('data-start-ms', '4000');
    expect(within(items[1]).getByLabelText('Start')).toHaveValue('00:00:04.000');
    expect(within(items[1]).getByLabelText('End')).toHaveValue('00:00:07.500');
    expect(within(items[1]).getByLabelText('Cue text')).toHaveValue('Second line\nwith two lines');
    expect(within(items[1]).getByText(/cue overlaps the previous cue/)).toBeInTheDocument();
    expect(within(items[1]).getByLabelText('Unparsed block at line 9')).toHaveTextContent('stray text no timing');
    expect(within(items[2]).getByLabelText('Cue text')).toHaveValue('');
    expect(screen.getByLabelText('Save status')).toHaveTextContent('Saved');

    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('ep 1.vtt');
    const summary = screen.getByLabelText('Document summary');
    expect(summary).toHaveTextContent('WebVTT');
    expect(summary).toHaveTextContent('3 cues');
    expect(summary).toHaveTextContent('2 errors');
    expect(summary).toHaveTextContent('1 warning');
    expect(screen.getByText(/missing `WEBVTT` header/)).toBeInTheDocument();

    expect(document.title).toBe('ep 1.vtt — Cueline');
    expect(backend.titles.at(-1)).toBe('ep 1.vtt — Cueline');
  });

  it('shows TXT entries without end times', async () => {
    const doc = makeDocument(['One.', 'Two.'], { path: '/d/ep.txt', format: 'txt' });
    render(App, { backend: new FakeBackend([doc]) });
    const items = await screen.findAllByRole('listitem');
    expect(within(items[1]).getByLabelText('Start')).toHaveValue('00:00:04.000');
    expect(within(items[1]).queryByLabelText('End')).toBeNull();
    expect(screen.getByLabelText('Document summary')).toHaveTextContent('Talk Python TXT');
    expect(screen.getByLabelText('Document summary')).toHaveTextContent('2 entries');
  });

  it('shows a clear error for a missing file, and no list', async () => {
    const backend = new FakeBackend([], '/nope/missing.vtt');
    render(App, { backend });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not open the transcript');
    expect(alert).toHaveTextContent('File not found: /nope/missing.vtt');
    expect(screen.queryByRole('list', { name: 'Cues' })).toBeNull();
    expect(document.title).toBe('Cueline');
  });

  it('reports an IPC failure instead of hanging', async () => {
    const backend = new FakeBackend();
    backend.initialDocument = () => Promise.reject(new Error('ipc down'));
    render(App, { backend });
    expect(await screen.findByRole('alert')).toHaveTextContent('Unexpected error: Error: ipc down');
  });

  it('renders only a window of a 5,000-cue document, with correct attributes', async () => {
    const doc = makeDocument(cueTexts(5000));
    render(App, { backend: new FakeBackend([doc]) });
    const list = await screen.findByRole('list', { name: 'Cues' });
    const items = within(list).getAllByRole('listitem');
    expect(items.length).toBeGreaterThan(5);
    expect(items.length).toBeLessThan(100);
    expect(items[0]).toHaveAttribute('data-cue-index', '0');
    expect(items[0]).toHaveAttribute('aria-setsize', '5000');
    expect(within(items[0]).getByLabelText('Cue text')).toHaveValue('Cue number 0 says something.');
    expect(screen.getByLabelText('Document summary')).toHaveTextContent('5,000 cues');
    // The rest of the list is represented by padding, so the scrollbar has the full length.
    expect(parseFloat(list.style.paddingBottom)).toBeGreaterThan(100_000);
  });

  it('opens the demo when there is no initial file', async () => {
    render(App, { backend: new FakeBackend([], null) });
    const items = await screen.findAllByRole('listitem');
    expect((within(items[0]).getByLabelText('Cue text') as HTMLTextAreaElement).value).toContain('Welcome to Harbor Lights');
    expect(screen.getByText('Demo')).toBeInTheDocument();
  });
});
