// The Russian catalogue: every file in this folder (core.ts, and one per area that
// adds keys: `const ru: Record<string, string> = {...}; export default ru;`) merged
// into one. Two files giving the same key is an error the catalogue test reports.
const files = import.meta.glob<Record<string, string>>(['./*.ts', '!./index.ts', '!./*.test.ts'], {
  eager: true,
  import: 'default',
});

export const sources: Record<string, Record<string, string>> = files;

const ru: Record<string, string> = {};
for (const file of Object.keys(files).sort()) Object.assign(ru, files[file]);

export default ru;
