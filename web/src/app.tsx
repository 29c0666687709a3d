import { createBrowserRouter, RouterProvider } from 'react-router';
import { RequireAuth } from './auth/require-auth';
import { SignIn } from './auth/sign-in';
import { AppLayout } from './layout/app-layout';
import { NotFound } from './layout/not-found';
import { RouteError } from './layout/route-error';
import { RouteFallback } from './layout/route-fallback';
import { screenRoutes } from './routes';

const router = createBrowserRouter([
  { path: '/sign-in', element: <SignIn /> },
  {
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    errorElement: <RouteError />,
    // Shown while the first screen's chunk loads.
    hydrateFallbackElement: <RouteFallback />,
    children: [...screenRoutes(), { path: '*', element: <NotFound /> }],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
