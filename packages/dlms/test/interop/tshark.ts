/**
 * Test helper: run Wireshark's `tshark` as a black-box oracle over bytes our codecs read or wrote.
 *
 * No network: packets are written to a classic pcap file (global header + one record per packet, link
 * type USER0/USER1 = DLT 147/148) and tshark is told which of its dissectors reads that link type with
 * the `user_dlts` preference table. Its PDML output (`-T pdml`) is parsed into a small tree, in document
 * order, so field order, positions, raw bytes and expert infos are all kept.
 *
 * Only this file and the tests use `node:` modules; nothing here is part of the published package.
 * We run the `tshark` binary and read what it prints; its source is never read or copied.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** LINKTYPE_USER0 (DLT 147): mapped to a dissector by name through tshark's `user_dlts` table. */
export const DLT_USER0 = 147;

/** What `findTshark` learned about the installed binary. */
export interface TsharkInfo {
  path: string;
  /** First line of `tshark --version`, e.g. `TShark (Wireshark) 4.0.17 (…)`. */
  version: string;
  /** Short names from `tshark -G protocols` (`acse`, `ber`, `ppp`, … and `dlms` if a DLMS dissector exists). */
  protocols: ReadonlySet<string>;
}

/** How to install the oracle, for the loud skip message and the docs. */
export const TSHARK_INSTALL_HINT =
  'echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections && ' +
  'DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tshark';

/** The installed tshark, or `undefined` when there is none on PATH (or `TSHARK` names a missing file). */
export function findTshark(): TsharkInfo | undefined {
  const path = process.env.TSHARK ?? 'tshark';
  const v = spawnSync(path, ['--version'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) return undefined;
  const p = spawnSync(path, ['-G', 'protocols'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const protocols = new Set<string>();
  for (const line of (p.stdout ?? '').split('\n')) {
    const cols = line.split('\t');
    if (cols.length >= 3) protocols.add(cols[2]!.trim());
  }
  return { path, version: (v.stdout ?? '').split('\n')[0]!.trim(), protocols };
}

/** A classic (microsecond, little-endian) pcap file holding `packets` with one link type. */
export function pcapFile(linkType: number, packets: readonly Uint8Array[]): Uint8Array {
  const size = 24 + packets.reduce((n, p) => n + 16 + p.length, 0);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true); // magic
  dv.setUint16(4, 2, true); // version 2.4
  dv.setUint16(6, 4, true);
  dv.setInt32(8, 0, true); // thiszone
  dv.setUint32(12, 0, true); // sigfigs
  dv.setUint32(16, 65535, true); // snaplen
  dv.setUint32(20, linkType, true);
  let at = 24;
  packets.forEach((p, i) => {
    dv.setUint32(at, i, true); // ts_sec: the packet index, so frames are easy to tell apart
    dv.setUint32(at + 4, 0, true);
    dv.setUint32(at + 8, p.length, true);
    dv.setUint32(at + 12, p.length, true);
    out.set(p, at + 16);
    at += 16 + p.length;
  });
  return out;
}

/** One element of PDML: a `<proto>` or `<field>`, with its children in document order. */
export interface PdmlNode {
  kind: 'proto' | 'field';
  name: string;
  showname: string;
  show: string;
  /** The field's bytes as lower-case hex ('' when tshark gives none). */
  value: string;
  pos: number;
  size: number;
  children: PdmlNode[];
}

const ENTITY: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" };
function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|quot|amp|lt|gt|apos);/g, (_, e: string) =>
    e.startsWith('#x')
      ? String.fromCodePoint(Number.parseInt(e.slice(2), 16))
      : e.startsWith('#')
        ? String.fromCodePoint(Number.parseInt(e.slice(1), 10))
        : ENTITY[e]!,
  );
}

/**
 * Parses tshark's PDML into one array of top-level protos per packet. Reads tags with a regular expression
 * over the whole text (attribute values can hold raw newlines when a dissected string does); anything
 * between tags other than white space throws rather than being skipped.
 */
export function parsePdml(xml: string): PdmlNode[][] {
  const packets: PdmlNode[][] = [];
  let stack: PdmlNode[] = [];
  let current: PdmlNode[] | undefined;
  const tag = /<(\/?)([A-Za-z_?!][\w:-]*)((?:[^>"]|"[^"]*")*)>/g;
  let last = 0;
  for (let m = tag.exec(xml); m !== null; m = tag.exec(xml)) {
    if (xml.slice(last, m.index).trim() !== '') throw new Error(`PDML: text outside tags at ${last}`);
    last = tag.lastIndex;
    const [, close, name, rest] = m as unknown as [string, string, string, string];
    if (name === 'packet') {
      if (close) {
        if (!current) throw new Error('PDML: </packet> without <packet>');
        packets.push(current);
        current = undefined;
      } else {
        current = [];
        stack = [];
      }
      continue;
    }
    if (name !== 'proto' && name !== 'field') continue; // <?xml?>, <pdml>, comments
    if (close) {
      stack.pop();
      continue;
    }
    if (!current) throw new Error(`PDML: <${name}> outside a packet`);
    const attrs: Record<string, string> = {};
    for (const a of rest.matchAll(/(\w+)="([^"]*)"/g)) attrs[a[1]!] = unescapeXml(a[2]!);
    const node: PdmlNode = {
      kind: name,
      name: attrs.name ?? '',
      showname: attrs.showname ?? '',
      show: attrs.show ?? '',
      value: (attrs.value ?? '').toLowerCase(),
      pos: Number(attrs.pos ?? 0),
      size: Number(attrs.size ?? 0),
      children: [],
    };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else current.push(node);
    if (!rest.trimEnd().endsWith('/')) stack.push(node);
  }
  if (xml.slice(last).trim() !== '') throw new Error('PDML: trailing text');
  return packets;
}

/**
 * Runs tshark once over all `packets` (one pcap, link type USER0 read by the dissector `payload`) and
 * returns each packet's PDML tree. Extra `-o` preferences go in `prefs` (e.g. `ppp.fcs_type:16-Bit`).
 */
export function dissect(
  tshark: TsharkInfo,
  payload: string,
  packets: readonly Uint8Array[],
  prefs: readonly string[] = [],
): PdmlNode[][] {
  const dir = mkdtempSync(join(tmpdir(), 'ami-tshark-'));
  try {
    const file = join(dir, 'in.pcap');
    writeFileSync(file, pcapFile(DLT_USER0, packets));
    const args = [
      '-n',
      '-r',
      file,
      '-T',
      'pdml',
      '-o',
      `uat:user_dlts:"User 0 (DLT=147)","${payload}","0","","0",""`,
    ];
    for (const p of prefs) args.push('-o', p);
    const xml = execFileSync(tshark.path, args, {
      encoding: 'utf8',
      maxBuffer: 512 << 20,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WIRESHARK_CONFIG_DIR: dir }, // no user profile leaks in
    });
    const out = parsePdml(xml);
    if (out.length !== packets.length)
      throw new Error(`tshark returned ${out.length} packets for ${packets.length} written`);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every node (depth first, document order) whose `name` is `name`. */
export function findAll(nodes: readonly PdmlNode[], name: string, out: PdmlNode[] = []): PdmlNode[] {
  for (const n of nodes) {
    if (n.name === name) out.push(n);
    findAll(n.children, name, out);
  }
  return out;
}

/** The first node named `name`, or undefined. */
export function findFirst(nodes: readonly PdmlNode[], name: string): PdmlNode | undefined {
  return findAll(nodes, name)[0];
}

/** An expert info tshark attached to a packet. */
export interface ExpertInfo {
  /** `Error`, `Warning`, `Note`, `Chat`… from the showname. */
  severity: string;
  /** `Malformed`, `Protocol`, `Checksum`… */
  group: string;
  message: string;
  /** The position in the packet of the field the expert info hangs on. */
  pos: number;
}

/** All expert infos of a packet, plus a synthetic `Malformed` one for every `_ws.malformed` proto. */
export function expertInfos(packet: readonly PdmlNode[]): ExpertInfo[] {
  const out: ExpertInfo[] = [];
  for (const e of findAll(packet, '_ws.expert')) {
    const m = /^Expert Info \(([^/]+)\/([^)]+)\): (.*)$/.exec(e.showname);
    out.push(
      m
        ? { severity: m[1]!, group: m[2]!, message: m[3]!, pos: e.pos }
        : { severity: '?', group: '?', message: e.showname, pos: e.pos },
    );
  }
  return out;
}

// --- carriers ------------------------------------------------------------------------------------------

/** A BER TLV with a definite length (short form below 128, else 0x81/0x82). Carrier building only. */
function tlv(tag: number, body: Uint8Array): Uint8Array {
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  const out = new Uint8Array(1 + len.length + n);
  out[0] = tag;
  out.set(len, 1);
  out.set(body, 1 + len.length);
  return out;
}
const cat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const u8 = (...b: number[]): Uint8Array => Uint8Array.from(b);
/** ISO 8327-1 parameter length: one octet below 255, else 0xFF and two octets. */
const sesLen = (n: number): Uint8Array => (n < 255 ? u8(n) : u8(0xff, n >> 8, n & 0xff));

/**
 * Wraps one ACSE APDU the way an OSI stack carries it, so tshark's ACSE dissector (which is only reached
 * through the presentation layer) reads it: an ISO 8327-1 CONNECT SPDU (SI 13) whose Session User Data
 * (PGI 193) is an ISO 8823 CP-type PPDU in normal mode, defining presentation context 1 = id-as-acse
 * (2.2.1.0.1) with transfer syntax BER (2.1.1), and carrying `apdu` as the single-ASN1-type of a PDV-list
 * for context 1. tshark's ACSE dissector picks AARQ/AARE/RLRQ/RLRE from the APDU's own tag, so one
 * carrier serves all four. Read with payload dissector `ses`.
 */
export function osiCarrier(apdu: Uint8Array): Uint8Array {
  const context = tlv(
    0x30,
    cat(tlv(0x02, u8(1)), tlv(0x06, u8(0x52, 0x01, 0x00, 0x01)), tlv(0x30, tlv(0x06, u8(0x51, 0x01)))),
  );
  const userData = tlv(0x61, tlv(0x30, cat(tlv(0x02, u8(1)), tlv(0xa0, apdu))));
  const cp = tlv(0x31, cat(tlv(0xa0, tlv(0x80, u8(1))), tlv(0xa2, cat(tlv(0xa4, context), userData))));
  const param = cat(u8(0xc1), sesLen(cp.length), cp);
  return cat(u8(13), sesLen(param.length), param);
}
