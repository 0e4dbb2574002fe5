// The few node:crypto and node:buffer declarations the ledger's unit tests use to make
// their own vectors (the console builds without @types/node; these modules never reach
// the browser bundle).
declare module 'node:buffer' {
  export class Buffer extends Uint8Array {
    static from(data: string, encoding?: 'base64' | 'base64url' | 'hex' | 'utf8'): Buffer;
    static from(data: ArrayLike<number>): Buffer;
    static concat(list: readonly Uint8Array[]): Buffer;
    static alloc(size: number, fill?: number): Buffer;
    subarray(start?: number, end?: number): Buffer;
    toString(encoding?: 'base64' | 'hex' | 'utf8'): string;
    writeBigUInt64BE(value: bigint, offset?: number): number;
  }
}
declare module 'node:crypto' {
  import type { Buffer } from 'node:buffer';
  export interface KeyObject {
    export(options: { format: 'jwk' }): { x?: string };
  }
  export function createHash(algorithm: 'sha256' | 'md5'): { update(data: Uint8Array | string): { digest(): Buffer; digest(enc: 'hex'): string } };
  export function generateKeyPairSync(type: 'ed25519'): { privateKey: KeyObject; publicKey: KeyObject };
  export function sign(algorithm: null, data: Uint8Array, key: KeyObject): Buffer;
}
