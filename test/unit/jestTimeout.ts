// Unit tests run no servers, but some compress megabytes on a machine that may be busy (CI, two cores):
// jest's 5 s default is a deadline for an idle machine, not a property of the code under test.
jest.setTimeout(30_000);
