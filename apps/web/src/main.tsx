import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { SiteProvider } from './app/site-provider';
import { preloadApiClient } from './lib/api-client';
import './styles/global.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// The API client (zod and the contract's schemas) is not needed for the first paint: it loads
// beside it, ready for the page's first calls.
preloadApiClient();
createRoot(root).render(
  <StrictMode>
    <SiteProvider>
      <App />
    </SiteProvider>
  </StrictMode>,
);
