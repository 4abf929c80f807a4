/** Block type codes (draft-ietf-opsawg-pcapng section 11.1, "Block Type Codes"). */
export const BlockType = {
  InterfaceDescription: 0x00000001,
  /** Obsolete Packet Block (appendix A), still written by old tools. */
  Packet: 0x00000002,
  SimplePacket: 0x00000003,
  NameResolution: 0x00000004,
  InterfaceStatistics: 0x00000005,
  EnhancedPacket: 0x00000006,
  IrigTimestamp: 0x00000007,
  Arinc429: 0x00000008,
  SystemdJournal: 0x00000009,
  DecryptionSecrets: 0x0000000a,
  Hone: 0x00000101,
  HoneConnection: 0x00000102,
  SysdigEvent: 0x00000204,
  SysdigEventV2: 0x00000216,
  Custom: 0x00000bad,
  CustomNoCopy: 0x40000bad,
  /** 0x0A0D0D0A reads the same in both byte orders, and catches CR/LF mangling (section 4.1). */
  SectionHeader: 0x0a0d0d0a,
} as const;

/** Byte-order magic of the SHB (section 4.1): 0x1A2B3C4D in the writer's byte order. */
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** Type, total length ... total length again (section 3.1). */
export const BLOCK_HEADER_LENGTH = 8;
export const BLOCK_MIN_LENGTH = 12;

/** Blocks that carry no packet and are skipped without a warning. */
export const KNOWN_NON_PACKET_BLOCKS: ReadonlySet<number> = new Set([
  BlockType.NameResolution,
  BlockType.InterfaceStatistics,
  BlockType.IrigTimestamp,
  BlockType.Arinc429,
  BlockType.SystemdJournal,
  BlockType.DecryptionSecrets,
  BlockType.Hone,
  BlockType.HoneConnection,
  BlockType.SysdigEvent,
  BlockType.SysdigEventV2,
  BlockType.Custom,
  BlockType.CustomNoCopy,
]);

export function hex32(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
}
