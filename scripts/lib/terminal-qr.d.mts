export function renderTerminalQr(matrix: boolean[][], quiet?: number): string;
export function terminalQr(text: string): Promise<string>;
export function parseTerminalQr(text: string): boolean[][];
