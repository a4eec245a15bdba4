/**
 * ui store: what is open and pinned, and the toasts.
 *
 * {
 *   panel: 'chat' | 'participants' | 'stats' | 'devices' | null   the side panel
 *   pinned: string | null                            tile id in the spotlight (peer id, or '<id>:screen')
 *   toasts: { id: number; text: string; tone: 'info' | 'warn' }[]
 * }
 */
import { createStore } from 'zustand/vanilla';

export type Panel = 'chat' | 'participants' | 'stats' | 'devices';
export interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'warn';
}

export interface UiState {
  panel: Panel | null;
  pinned: string | null;
  toasts: Toast[];
}

export const uiStore = createStore<UiState>()(() => ({ panel: null, pinned: null, toasts: [] }));

const MAX_TOASTS = 4;
let nextToastId = 1;

export const uiActions = {
  reset: (): void => uiStore.setState({ panel: null, pinned: null, toasts: [] }, true),
  togglePanel: (panel: Panel): void => uiStore.setState((state) => ({ panel: state.panel === panel ? null : panel })),
  closePanel: (): void => uiStore.setState({ panel: null }),
  pin: (tileId: string | null): void => uiStore.setState((state) => ({ pinned: state.pinned === tileId ? null : tileId })),
  /** Shows a toast; returns its id. */
  toast: (text: string, tone: Toast['tone'] = 'info'): number => {
    const id = nextToastId++;
    uiStore.setState((state) => ({ toasts: [...state.toasts, { id, text, tone }].slice(-MAX_TOASTS) }));
    return id;
  },
  dismiss: (id: number): void => uiStore.setState((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) })),
};
