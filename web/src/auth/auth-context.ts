import { createContext, useContext } from 'react';
import type { Role, SessionUser } from './session-api';

export interface AuthState {
  status: 'loading' | 'signed-in' | 'signed-out';
  user: SessionUser | undefined;
  role: Role | undefined;
  isAdmin: boolean;
  /** Throws ApiError with the API's message (wrong password, 429 rate limit…). */
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

export const AuthContext = createContext<AuthState | undefined>(undefined);

export function useAuth(): AuthState {
  const auth = useContext(AuthContext);
  if (auth === undefined) throw new Error('useAuth needs an AuthProvider above it');
  return auth;
}
