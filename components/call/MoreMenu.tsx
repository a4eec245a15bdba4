'use client';

/**
 * MoreMenu: the call controls that do not fit on a phone's control bar, behind one
 * "More controls" button (a menu button: arrow keys move, Escape or Tab closes, a click
 * outside closes, choosing an item closes and returns focus to the button).
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { IconButton } from '../ui/Button';
import { MoreIcon } from '../ui/icons';

export interface MoreMenuItem {
  label: string;
  icon: ReactNode;
  /** For toggles (a panel, screen sharing): whether it is on. */
  checked?: boolean;
  onSelect: () => void;
}

export function MoreMenu({ items }: { items: MoreMenuItem[] }) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);

  const menuItems = (): HTMLElement[] => [...(menuRef.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? [])];

  const close = (focusButton: boolean): void => {
    setOpen(false);
    if (focusButton) buttonRef.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    menuItems()[0]?.focus();
    const onPointerDown = (event: PointerEvent): void => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const all = menuItems();
    const index = all.indexOf(document.activeElement as HTMLElement);
    const move = (to: number): void => {
      event.preventDefault();
      all[(to + all.length) % all.length]?.focus();
    };
    if (event.key === 'ArrowDown') move(index + 1);
    else if (event.key === 'ArrowUp') move(index - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(all.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'Tab') close(false);
  };

  return (
    <div className="relative">
      <IconButton
        ref={buttonRef}
        label="More controls"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        active={open}
        onClick={() => setOpen((was) => !was)}
      >
        <MoreIcon className="size-5" />
      </IconButton>
      {open ? (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label="More controls"
          onKeyDown={onMenuKeyDown}
          className="absolute right-0 bottom-full z-20 mb-2 flex min-w-56 flex-col rounded-xl border border-zinc-800 bg-zinc-900 p-1 shadow-xl"
        >
          {items.map((item) => (
            <button
              key={item.label}
              type="button"
              role={item.checked === undefined ? 'menuitem' : 'menuitemcheckbox'}
              aria-checked={item.checked}
              tabIndex={-1}
              className="flex items-center gap-3 rounded-lg px-3 py-2.5 text-left text-sm text-zinc-100 hover:bg-zinc-800 focus-visible:bg-zinc-800 focus-visible:outline-none aria-checked:text-emerald-300"
              onClick={() => {
                close(true);
                item.onSelect();
              }}
            >
              {item.icon}
              <span className="flex-1">{item.label}</span>
              {item.checked ? <span className="text-xs text-emerald-300">On</span> : null}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
