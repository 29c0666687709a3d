import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { setUnauthorizedHandler } from '../api/client';
import { setCsrfToken } from '../api/csrf';
import { AuthContext, type AuthState } from './auth-context';
import {
  createSession,
  deleteSession,
  fetchSession,
  type Session,
  type SessionUser,
} from './session-api';

type Status = AuthState['status'];

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status>('loading');
  const [user, setUser] = useState<SessionUser | undefined>(undefined);

  const signedIn = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setUser(session.user);
    setStatus('signed-in');
  }, []);

  const signedOut = useCallback(() => {
    setCsrfToken(undefined);
    setUser(undefined);
    setStatus('signed-out');
    // The next user must not see the last one's cached data.
    queryClient.clear();
  }, [queryClient]);

  useEffect(() => {
    let cancelled = false;
    fetchSession()
      .then((session) => {
        if (cancelled) return;
        if (session) signedIn(session);
        else signedOut();
      })
      .catch(() => {
        if (!cancelled) signedOut();
      });
    setUnauthorizedHandler(signedOut);
    return () => {
      cancelled = true;
    };
  }, [signedIn, signedOut]);

  const value = useMemo<AuthState>(
    () => ({
      status,
      user,
      role: user?.role,
      isAdmin: user?.role === 'admin',
      signIn: async (email, password) => signedIn(await createSession(email, password)),
      signOut: async () => {
        try {
          await deleteSession();
        } finally {
          signedOut();
        }
      },
    }),
    [status, user, signedIn, signedOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
