// Every container's log: Docker's json-file driver, rotated (10 MB x 5), as logrotate does on the VPS.
export const LOGGING = { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '5' } } as const;
