import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = 'http://127.0.0.1:3000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // scripts/web-metrics.ts reads the manifest to sum the initial JS.
    manifest: true,
    sourcemap: true,
    // The budget that matters is 300 KB gzipped initial JS (npm run web:metrics), not this.
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: {
      '/v1': { target: api, changeOrigin: false },
      '/openapi.json': api,
      '/docs': api,
      '/health': api,
    },
  },
});
