import { useQuery } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { api, unwrap } from '../api/client';
import type { Community } from '../api/types';
import { useMe } from './session';

const STORAGE_KEY = 'estatedesk.community';
export const COMMUNITIES_KEY = ['communities'] as const;

/** All communities the user may see (the server scopes the list); a company has tens, not thousands. */
async function fetchAllCommunities(): Promise<Community[]> {
  const all: Community[] = [];
  let cursor: string | undefined;
  do {
    const page = await unwrap(api.GET('/api/v1/communities', { params: { query: { cursor, limit: 100 } } }));
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

export function useCommunities() {
  const { data: me } = useMe();
  // Not while a password change is pending: the server answers nothing else until it is done.
  const ready = !!me && !me.mustChangePassword;
  return useQuery({
    queryKey: [...COMMUNITIES_KEY, me?.id, ready],
    queryFn: fetchAllCommunities,
    enabled: ready,
  });
}

interface CommunityValue {
  communities: Community[];
  /** The community chosen in the header; undefined means all of the user's communities. */
  communityId: string | undefined;
  setCommunityId: (id: string | undefined) => void;
  nameOf: (id: string) => string;
}

const CommunityContext = createContext<CommunityValue | null>(null);

function readStored(): string | undefined {
  try {
    return window.localStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function CommunityProvider({ children }: { children: ReactNode }) {
  const { data } = useCommunities();
  const [chosen, setChosen] = useState<string | undefined>(readStored);

  const setCommunityId = useCallback((id: string | undefined) => {
    try {
      if (id) window.localStorage.setItem(STORAGE_KEY, id);
      else window.localStorage.removeItem(STORAGE_KEY);
    } catch {
      // private mode: the choice holds for this tab
    }
    setChosen(id);
  }, []);

  const value = useMemo<CommunityValue>(() => {
    const communities = data ?? [];
    const names = new Map(communities.map((community) => [community.id, community.name]));
    let communityId: string | undefined;
    if (communities.length === 1) communityId = communities[0]?.id;
    else if (chosen && names.has(chosen)) communityId = chosen;
    return { communities, communityId, setCommunityId, nameOf: (id) => names.get(id) ?? id };
  }, [data, chosen, setCommunityId]);

  return <CommunityContext.Provider value={value}>{children}</CommunityContext.Provider>;
}

export function useCommunity(): CommunityValue {
  const value = useContext(CommunityContext);
  if (!value) throw new Error('useCommunity outside CommunityProvider');
  return value;
}
