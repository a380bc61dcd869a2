// Each e2e test drives real n8n processes (about 3 s per CLI call).
jest.setTimeout(300_000);
