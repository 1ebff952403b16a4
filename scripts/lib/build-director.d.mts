/** dist/director/main.mjs: the compiled director that npm start and the container run. */
export const DIRECTOR_ENTRY: string;
/** Build it when missing or older than worker/, lib/, tsconfig.json or package.json. */
export function buildDirector(opts?: { force?: boolean }): string;
