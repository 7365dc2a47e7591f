/**
 * One picker per label group of the model ("Any" or one label), and a note
 * when a model switch had to reset a choice the new model does not have.
 */
import { selectField } from '../../components/fields.ts';
import { choiceOf, groupsOf, type StoredLabels } from '../../conditioning.ts';
import type { ModelEntry } from '../../catalog.ts';
import { h } from '../../dom.ts';

export interface LabelPickers {
  root: HTMLElement;
  sync(model: ModelEntry | undefined, stored: StoredLabels): void;
  note(text: string): void;
}

export function createLabelPickers(
  onChange: (choice: Record<string, string>) => void,
): LabelPickers {
  const list = h('div', { class: 'label-pickers' });
  const noteEl = h('p', { class: 'field-note', role: 'status', 'data-testid': 'label-note' });
  noteEl.hidden = true;
  let choice: Record<string, string> = {};

  function sync(model: ModelEntry | undefined, stored: StoredLabels): void {
    const groups = model ? groupsOf(model.manifest) : [];
    const indices = model ? choiceOf(model.manifest, stored) : [];
    choice = { ...stored };
    if (groups.length === 0) {
      const none = selectField({
        label: 'Class',
        options: [{ value: '', label: 'Any class' }],
        value: '',
        onChange: () => undefined,
      });
      none.select.disabled = true;
      none.select.title = 'This model has no labels.';
      list.replaceChildren(none.root);
      return;
    }
    const fields = groups.map((g, k) => {
      const i = indices[k];
      const field = selectField({
        label: g.title,
        options: [
          { value: '', label: `Any ${g.title.toLowerCase()}` },
          ...g.ids.map((id, j) => ({ value: id, label: g.titles[j] ?? id })),
        ],
        value: i === null || i === undefined ? '' : (g.ids[i] ?? ''),
        onChange: (v) => {
          choice[g.name] = v;
          noteEl.hidden = true;
          onChange({ ...choice });
        },
      });
      return field.root;
    });
    list.replaceChildren(...fields);
  }

  return {
    root: h('div', { class: 'field-group' }, list, noteEl),
    sync,
    note(text) {
      noteEl.textContent = text;
      noteEl.hidden = text === '';
    },
  };
}
