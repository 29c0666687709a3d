import { createBrowserRouter, RouterProvider } from 'react-router';
import { RequireAuth } from './auth/require-auth';
import { SignIn } from './auth/sign-in';
import { AppLayout } from './layout/app-layout';
import { RouteError } from './layout/route-error';
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
    children: [
      ...screenRoutes(),
      {
        path: '*',
        loader: () => {
          throw new Response('Not found', { status: 404 });
        },
      },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
