/** The gallery's filters: a model and a label, each "All" or one of what is kept. */
import { h } from '../../dom.ts';
import { selectField } from '../../components/fields.ts';
import { filterChoices, type GalleryFilter, type GalleryItem } from '../../gallery-list.ts';

export interface FiltersView {
  root: HTMLElement;
  /** Re-lists the choices from what is kept; a choice that is gone falls back to "All". */
  sync(items: GalleryItem[], f: GalleryFilter): GalleryFilter;
}

export function createFilters(onChange: (f: Partial<GalleryFilter>) => void): FiltersView {
  const model = selectField({
    label: 'Show model',
    options: [],
    value: '',
    onChange: (v) => onChange({ model: v }),
  });
  const label = selectField({
    label: 'Show label',
    options: [],
    value: '',
    onChange: (v) => onChange({ label: v }),
  });

  return {
    root: h(
      'div',
      { class: 'two gallery-filters', role: 'group', 'aria-label': 'Filter' },
      model.root,
      label.root,
    ),
    sync(items, f) {
      const c = filterChoices(items);
      const m = c.models.some((x) => x.id === f.model) ? f.model : '';
      const l = c.labels.includes(f.label) ? f.label : '';
      model.setOptions(
        [
          { value: '', label: 'All models' },
          ...c.models.map((x) => ({ value: x.id, label: x.name })),
        ],
        m,
      );
      label.setOptions(
        [
          { value: '', label: 'All labels' },
          ...c.labels.map((k) => ({ value: k, label: k.replace('=', ': ') })),
        ],
        l,
      );
      return { model: m, label: l };
    },
  };
}
