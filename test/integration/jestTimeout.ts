// Integration tests start real servers (Postgres, PostgREST, SMTP, emulators).
jest.setTimeout(60_000);
