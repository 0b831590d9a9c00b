/**
 * Conformance vectors `conformance-vectors/cim/messages-config.json` (MeterConfig, EndDeviceConfig,
 * UsagePointConfig, MasterDataLinkageConfig, MeterServiceRequests): XML text ⇄ JSON form, byte-exact
 * re-encoding of the canonical samples, prefixes refused, negative vectors refused with their code.
 */
import { runConformance } from '@ami-interop/conformance-vectors/vitest';
import { describe } from 'vitest';
import { isCimError } from '../src/errors.ts';
import { fromJsonValue, toJsonValue } from '../src/json/index.ts';
import { fromXml, toXml, type XmlWriteOptions } from '../src/xml/index.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

for (const parser of ['fast-xml-parser', 'builtin'] as const) {
  describe(`parser: ${parser}`, () => {
    runConformance('cim/messages-config', {
      decode(bytes) {
        let text: string;
        try {
          text = utf8.decode(bytes);
        } catch {
          // A prefix cut inside a multi-byte character is as incomplete as any other prefix.
          return fromXml('<', { parser });
        }
        return toJsonValue(fromXml(text, { parser }));
      },
      encode(decoded, vector) {
        return new TextEncoder().encode(
          toXml(fromJsonValue(decoded), (vector.params ?? {}) as XmlWriteOptions),
        );
      },
      errorCode: (e) => (isCimError(e) ? e.code : undefined),
      errorOffset: (e) => (isCimError(e) ? e.offset : undefined),
      // XML has no "need more bytes" state: every strict prefix of a document is not well-formed.
      incompleteCode: 'MALFORMED_XML',
    });
  });
}
