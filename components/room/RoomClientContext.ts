'use client';

/** The current call's RoomClient, for components that call its methods. */
import { createContext, useContext } from 'react';
import type { RoomClient } from '@/lib/call/RoomClient';

export const RoomClientContext = createContext<RoomClient | null>(null);

export function useRoomClient(): RoomClient {
  const client = useContext(RoomClientContext);
  if (!client) throw new Error('useRoomClient() outside a call');
  return client;
}
