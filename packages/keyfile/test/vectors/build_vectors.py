#!/usr/bin/env python3
"""
Builds conformance-vectors/keyfile/{record,akf}.json from docs/keyfile-spec.md alone, with Python's
`cryptography` (OpenSSL) and hashlib: an implementation independent of the TypeScript code under test.
Every key and every "random" value is fixed here, so anyone can rebuild the same bytes:

    python3 packages/keyfile/test/vectors/build_vectors.py

(needs `pip install cryptography>=44` for deterministic RFC 6979 ECDSA). The TypeScript tests then check
that our decoder reads these files and that our encoder, fed the same inputs, writes the same bytes.
"""
import base64, datetime, hashlib, json, os, struct
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.keywrap import aes_key_wrap

ROOT = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..')
OUT = os.path.join(ROOT, 'conformance-vectors', 'keyfile')
H = lambda b: hashlib.sha256(b).digest()
b64 = lambda b: base64.b64encode(b).decode()

# ---- record encoding (spec §4) -------------------------------------------------------------------
def L(n):
    if n < 0x80: return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return bytes([0x80 | len(b)]) + b
def tlv(tag, v): return bytes([tag]) + L(len(v)) + v
def record(body): return L(len(body)) + body

GUEK = bytes(range(16)); GAK = bytes(range(0xD0, 0xE0)); MK = bytes.fromhex('00112233445566778899AABBCCDDEEFF')
GBEK = bytes(range(0x10, 0x20))
REC_A = record(tlv(1, b'MK0001') + tlv(6, bytes.fromhex('4D4B540000000001')) + tlv(0x10, GUEK) + tlv(0x12, GAK) + tlv(0x13, MK))
FW = tlv(1, b'MK-FW-2.1.0') + tlv(2, (65536).to_bytes(8, 'big')) + tlv(3, b'\xAA' * 32) + tlv(5, b'fw/2.1.0.bin')
REC_B = record(
    tlv(1, b'MK0002') + tlv(2, b'DEV-2') + tlv(3, b'Maker Ltd') + tlv(4, b'1P') + tlv(5, b'D1')
    + tlv(6, bytes.fromhex('4D4B540000000002')) + tlv(0x10, GUEK[::-1]) + tlv(0x11, GBEK) + tlv(0x12, GAK[::-1])
    + tlv(0x13, MK[::-1]) + tlv(0x20, b'lls1') + tlv(0x21, b'us1') + tlv(0x22, b'fw1')
    + tlv(0x30, struct.pack('>HI', 48, 41)) + tlv(0x30, struct.pack('>HI', 80, 1))
    + tlv(0x40, FW) + tlv(0x7F, tlv(1, b'site') + tlv(2, b'Ward 4')))
IMG = bytes((i * 13) & 255 for i in range(300))
REC_C = record(tlv(1, b'MK0003') + tlv(6, bytes.fromhex('4D4B540000000003')) + tlv(0x10, GUEK) + tlv(0x12, GAK) + tlv(0x13, MK)
               + tlv(0x40, tlv(1, b'MK-FW-2.2.0') + tlv(2, len(IMG).to_bytes(8, 'big')) + tlv(3, H(IMG)) + tlv(4, IMG)))
hx = lambda b: b.hex().upper()

def jrec(serial, st, keys, secrets=None, ics=None, fw=None, extra=None, **text):
    j = {'serial': serial, **text, 'systemTitle': st, 'keys': keys, 'secrets': secrets or {},
         'invocationCounters': ics or [], 'firmware': fw or [], 'extra': extra or {}}
    return j
J_A = jrec('MK0001', '4D4B540000000001', {'guek': hx(GUEK), 'gak': hx(GAK), 'mk': hx(MK)})
J_B = jrec('MK0002', '4D4B540000000002',
           {'guek': hx(GUEK[::-1]), 'gbek': hx(GBEK), 'gak': hx(GAK[::-1]), 'mk': hx(MK[::-1])},
           {'lls': hx(b'lls1'), 'hlsUs': hx(b'us1'), 'hlsFw': hx(b'fw1')},
           [{'clientSap': 48, 'counter': 41}, {'clientSap': 80, 'counter': 1}],
           [{'identifier': 'MK-FW-2.1.0', 'size': 65536, 'sha256': 'AA' * 32, 'reference': 'fw/2.1.0.bin'}],
           {'site': 'Ward 4'}, deviceId='DEV-2', manufacturer='Maker Ltd', meterType='1P', category='D1')
J_C = jrec('MK0003', '4D4B540000000003', {'guek': hx(GUEK), 'gak': hx(GAK), 'mk': hx(MK)},
           fw=[{'identifier': 'MK-FW-2.2.0', 'size': 300, 'sha256': hx(H(IMG)), 'image': hx(IMG)}])

SRC_REC = 'hand-built-akf-record'
rec_vectors = [
    {'name': 'minimal record (serial, system title, GUEK, GAK, MK)', 'source': SRC_REC, 'hex': hx(REC_A), 'decoded': J_A},
    {'name': 'full record (texts, GBEK, secrets, counters, firmware reference, extra); long-form length', 'source': SRC_REC, 'hex': hx(REC_B), 'decoded': J_B},
    {'name': 'record with an inline firmware image (300 bytes, SHA-256 checked)', 'source': SRC_REC, 'hex': hx(REC_C), 'decoded': J_C},
]
def neg(name, b, code, offset=None, notes=None):
    v = {'name': name, 'source': SRC_REC, 'hex': hx(b), 'error': {'code': code}}
    if offset is not None: v['error']['offset'] = offset
    if notes: v['notes'] = notes
    rec_vectors.append(v)
body_a = REC_A[1:]
neg('unknown field tag 0x07', record(tlv(1, b'A') + tlv(7, b'')), 'MALFORMED', 4)
neg('fields out of order (system title before serial)', record(tlv(6, bytes(8)) + tlv(1, b'A')), 'MALFORMED', 11)
neg('GUEK of 15 bytes', record(tlv(1, b'A') + tlv(6, bytes(8)) + tlv(0x10, bytes(15))), 'MALFORMED', 14)
neg('indefinite length form', bytes([0x80]), 'MALFORMED', 0)
neg('non-minimal length (0x81 0x05)', bytes([0x81, 5]) + tlv(1, b'ABC'), 'MALFORMED', 0)
neg('no GAK', record(tlv(1, b'A') + tlv(6, bytes(8)) + tlv(0x10, bytes(16)) + tlv(0x13, bytes(16))), 'MALFORMED')
neg('field overruns its record (MALFORMED, not INCOMPLETE)', bytes([3, 1, 5, 0x41]), 'MALFORMED')
neg('trailing byte after the record', REC_A + b'\x00', 'MALFORMED', len(REC_A))
neg('firmware image whose SHA-256 differs', record(tlv(1, b'A') + tlv(6, bytes(8)) + tlv(0x10, bytes(16)) + tlv(0x12, bytes(16)) + tlv(0x13, bytes(16))
    + tlv(0x40, tlv(1, b'F') + tlv(2, (1).to_bytes(8, 'big')) + tlv(3, bytes(32)) + tlv(4, b'x'))), 'MALFORMED')
neg('invocation counters not ascending by client SAP', record(tlv(1, b'A') + tlv(6, bytes(8)) + tlv(0x10, bytes(16)) + tlv(0x12, bytes(16)) + tlv(0x13, bytes(16))
    + tlv(0x30, struct.pack('>HI', 48, 1)) + tlv(0x30, struct.pack('>HI', 32, 1))), 'MALFORMED')
neg('invalid UTF-8 in serial', record(tlv(1, b'\xff')), 'MALFORMED')

# ---- keys and certificate --------------------------------------------------------------------------
def scalar(label): return H(('scalar/' + label).encode())
def key(label): return ec.derive_private_key(int.from_bytes(scalar(label), 'big'), ec.SECP256R1())
def pub65(k): return k.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
def spki(k): return k.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
MAKER, HES, OTHER = key('maker'), key('hes'), key('other-hes')
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'Maker Ltd key file signer'), x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'Maker Ltd'), x509.NameAttribute(NameOID.COUNTRY_NAME, 'IN')])
utc = datetime.timezone.utc
CERT = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(MAKER.public_key()).serial_number(1)
        .not_valid_before(datetime.datetime(2026, 1, 1, tzinfo=utc)).not_valid_after(datetime.datetime(2031, 1, 1, tzinfo=utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(MAKER, hashes.SHA256(), ecdsa_deterministic=True)).public_bytes(serialization.Encoding.DER)

# ---- the container (spec §3) -----------------------------------------------------------------------
def rnd(label, n): return H(label.encode())[:n]
def u64(n): return struct.pack('>Q', n)

def build(records, km_mode, label, chunk=256, version=1, batch='batch-0001', created='2026-02-01T00:00:00Z', nb='2026-02-01T00:00:00Z', na='2026-08-01T00:00:00Z'):
    cek, nonce = rnd(label + '/cek', 32), rnd(label + '/nonce', 12)
    params = {'cek': hx(cek), 'nonce': hx(nonce)}
    if km_mode == 'ecdh':
        eph_d = rnd(label + '/eph', 32)
        eph = ec.derive_private_key(int.from_bytes(eph_d, 'big'), ec.SECP256R1())
        z = eph.exchange(ec.ECDH(), HES.public_key())
        epk = pub65(eph)
        kek = HKDF(hashes.SHA256(), 32, epk + pub65(HES), b'AKF/1 ECDH-ES A256KW').derive(z)
        km = {'alg': 'ECDH-ES-P256+HKDF-SHA256+A256KW', 'recipientKeyId': b64(H(spki(HES))), 'epk': b64(epk), 'wrappedKey': b64(aes_key_wrap(kek, cek))}
        params.update(ephemeral=hx(eph_d), key={'kind': 'ecdh', 'privateScalar': hx(scalar('hes'))})
    elif km_mode == 'scrypt':
        salt = rnd(label + '/salt', 16)
        kek = hashlib.scrypt(b'correct horse battery staple', salt=salt, n=1024, r=8, p=1, dklen=32)
        km = {'alg': 'SCRYPT+A256KW', 'salt': b64(salt), 'N': 1024, 'r': 8, 'p': 1, 'wrappedKey': b64(aes_key_wrap(kek, cek))}
        params.update(salt=hx(salt), key={'kind': 'password', 'password': 'correct horse battery staple'})
    else:
        kek = bytes.fromhex('000102030405060708090A0B0C0D0E0F')  # RFC 3394 §4.1's KEK
        km = {'alg': 'A128KW', 'kekId': 'discom-a/2026', 'wrappedKey': b64(aes_key_wrap(kek, cek))}
        params.update(key={'kind': 'kek', 'kek': hx(kek)})
    header = {'format': 'AKF', 'version': version, 'batchId': batch, 'issuer': 'Maker Ltd', 'recipient': 'Unified HES, Discom A',
              'created': created, 'notBefore': nb, 'notAfter': na,
              'contentEncryption': {'alg': 'A256GCM', 'chunkSize': chunk, 'nonce': b64(nonce)},
              'keyManagement': km, 'signer': {'alg': 'ES256', 'certificate': b64(CERT)}}
    hline = json.dumps(header, separators=(',', ':')).encode()
    h = H(hline)
    pt = b''.join(records)
    pieces = [pt[i:i + chunk] for i in range(0, len(pt), chunk)] or [b'']
    lines, digest = [hline], hashlib.sha256()
    for i, p in enumerate(pieces):
        final = i == len(pieces) - 1
        n = bytearray(nonce)
        for k, c in enumerate(u64(i)): n[4 + k] ^= c
        ct = AESGCM(cek).encrypt(bytes(n), p, b'AKF/1 chunk\0' + h + u64(i) + bytes([1 if final else 0]))
        digest.update(struct.pack('>I', len(ct)) + ct)
        lines.append(json.dumps(b64(ct)).encode())
    bd = digest.digest()
    der = MAKER.sign(b'AKF/1 signature\0' + h + bd + u64(len(records)) + u64(len(pieces)), ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    r, s = decode_dss_signature(der)
    trailer = {'count': len(records), 'chunks': len(pieces), 'bodyDigest': b64(bd), 'signature': b64(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}
    lines.append(json.dumps(trailer, separators=(',', ':')).encode())
    common = {'signerScalar': hx(scalar('maker')), 'certificate': hx(CERT), 'now': '2026-03-01T12:00:00Z'}
    return b'\n'.join(lines) + b'\n', header, {**common, **params}

def decoded(header, meters, chunks):
    return {'header': header, 'count': len(meters), 'chunks': chunks, 'meters': meters}

SRC_AKF = 'hand-built-akf-container'
akf = []
f1, h1, p1 = build([REC_A, REC_B, REC_C], 'ecdh', 'v1')
akf.append({'name': 'ECDH-ES to the HES key, three meters over several 256-byte chunks', 'source': SRC_AKF, 'text': f1.decode(),
            'decoded': decoded(h1, [J_A, J_B, J_C], f1.count(b'\n') - 2), 'params': p1, 'truncation': False,
            'notes': 'truncation: every prefix is INCOMPLETE; swept at sampled cut points in container.test.ts (each prefix costs an ECDH, a certificate parse and an ECDSA verification)'})
f2, h2, p2 = build([REC_A], 'scrypt', 'v2', chunk=65536)
akf.append({'name': 'password (scrypt N=1024, r=8, p=1), one meter', 'source': SRC_AKF, 'text': f2.decode(), 'decoded': decoded(h2, [J_A], 1), 'params': p2, 'truncation': False})
f3, h3, p3 = build([REC_B], 'kek', 'v3', chunk=65536)
akf.append({'name': 'pre-shared 128-bit KEK (A128KW), one meter', 'source': SRC_AKF, 'text': f3.decode(), 'decoded': decoded(h3, [J_B], 1), 'params': p3, 'truncation': False})
f4, h4, p4 = build([], 'ecdh', 'v4', chunk=65536)
akf.append({'name': 'no meters: one empty final chunk', 'source': SRC_AKF, 'text': f4.decode(), 'decoded': decoded(h4, [], 1), 'params': p4, 'truncation': False})

def negv(name, text, params, code, notes=None):
    v = {'name': name, 'source': SRC_AKF, 'text': text.decode(), 'params': params, 'error': {'code': code}}
    if notes: v['notes'] = notes
    akf.append(v)
negv('expired: opened after notAfter', f1, {**p1, 'now': '2026-08-01T00:00:01Z'}, 'EXPIRED')
negv('not yet valid: opened before notBefore', f1, {**p1, 'now': '2026-01-31T23:59:59Z'}, 'NOT_YET_VALID')
negv('another HES key', f1, {**p1, 'key': {'kind': 'ecdh', 'privateScalar': hx(scalar('other-hes'))}}, 'WRONG_RECIPIENT')
negv('wrong password', f2, {**p2, 'key': {'kind': 'password', 'password': 'Tr0ub4dor&3'}}, 'WRONG_RECIPIENT')
f5, _, p5 = build([REC_A], 'ecdh', 'v5', version=2)
negv('format version 2', f5, p5, 'UNSUPPORTED_VERSION')
f6, _, p6 = build([REC_A, REC_A], 'ecdh', 'v6')
negv('the same meter twice (validly signed)', f6, p6, 'DUPLICATE_METER')
lines = f1.split(b'\n')
c0 = bytearray(base64.b64decode(json.loads(lines[1]))); c0[0] ^= 1
negv('first chunk changed (fails its GCM tag before the trailer is read)', b'\n'.join([lines[0], json.dumps(b64(bytes(c0))).encode()] + lines[2:]), p1, 'DECRYPTION_FAILED')
cl = bytearray(base64.b64decode(json.loads(lines[-3]))); cl[0] ^= 1
negv('last chunk changed (body digest differs from the signed one)', b'\n'.join(lines[:-3] + [json.dumps(b64(bytes(cl))).encode()] + lines[-2:]), p1, 'BAD_SIGNATURE')
negv('chunks 1 and 2 swapped', b'\n'.join([lines[0], lines[2], lines[1]] + lines[3:]), p1, 'DECRYPTION_FAILED')
negv('last chunk dropped', b'\n'.join(lines[:-3] + lines[-2:]), p1, 'BAD_SIGNATURE')
negv('truncated: no trailer', b'\n'.join(lines[:-2]) + b'\n', p1, 'INCOMPLETE')
t = json.loads(lines[-2]); t['count'] = 2
negv('trailer count changed', b'\n'.join(lines[:-2] + [json.dumps(t, separators=(',', ':')).encode(), b'']), p1, 'BAD_SIGNATURE')
negv('trailer with a space (not canonical)', b'\n'.join(lines[:-2] + [lines[-2].replace(b',', b', ', 1), b'']), p1, 'MALFORMED')

# ---- the CMS form (spec §6), DER by hand --------------------------------------------------------------
def T(tag, content): return bytes([tag]) + L(len(content)) + content
def SEQ(*xs): return T(0x30, b''.join(xs))
def SET(*xs): return T(0x31, b''.join(xs))
def OID(dotted):
    arcs = [int(a) for a in dotted.split('.')]
    out = bytearray()
    for i, a in enumerate([arcs[0] * 40 + arcs[1]] + arcs[2:]):
        enc = [a & 0x7F]
        a >>= 7
        while a: enc.insert(0, 0x80 | (a & 0x7F)); a >>= 7
        out += bytes(enc)
    return T(0x06, bytes(out))
def INT(n): return T(0x02, n.to_bytes(max(1, (n.bit_length() + 8) // 8), 'big'))
def OCT(b): return T(0x04, b)
def CTX(n, content, constructed=True): return T((0xA0 if constructed else 0x80) | n, content)
AES256_WRAP, AES128_WRAP = '2.16.840.1.101.3.4.1.45', '2.16.840.1.101.3.4.1.5'

def build_cms(records, mode, label, batch='batch-0001', created='2026-02-01T00:00:00Z', version=1):
    cek, nonce = rnd(label + '/cek', 32), rnd(label + '/nonce', 12)
    params = {'cek': hx(cek), 'nonce': hx(nonce)}
    if mode == 'ecdh':
        eph_d = rnd(label + '/eph', 32)
        eph = ec.derive_private_key(int.from_bytes(eph_d, 'big'), ec.SECP256R1())
        z = eph.exchange(ec.ECDH(), HES.public_key())
        shared_info = SEQ(SEQ(OID(AES256_WRAP)), CTX(2, OCT(bytes([0, 0, 1, 0]))))
        kek = H(z + b'\x00\x00\x00\x01' + shared_info)   # ANSI X9.63 KDF, one SHA-256 block
        skid = hashlib.sha1(pub65(HES)).digest()
        ri = CTX(1, INT(3) + CTX(0, CTX(1, SEQ(OID('1.2.840.10045.2.1')) + T(0x03, b'\x00' + pub65(eph))))
                 + SEQ(OID('1.3.132.1.11.1'), SEQ(OID(AES256_WRAP))) + SEQ(SEQ(CTX(0, OCT(skid)), OCT(aes_key_wrap(kek, cek)))))
        params.update(ephemeral=hx(eph_d), key={'kind': 'ecdh', 'privateScalar': hx(scalar('hes'))})
    elif mode == 'kek':
        kek = bytes.fromhex('000102030405060708090A0B0C0D0E0F')
        ri = CTX(2, INT(4) + SEQ(OCT(b'discom-a/2026')) + SEQ(OID(AES128_WRAP)) + OCT(aes_key_wrap(kek, cek)))
        params.update(key={'kind': 'kek', 'kek': hx(kek)}, kekId='discom-a/2026')
    else:
        salt = rnd(label + '/salt', 16)
        kek = hashlib.scrypt(b'correct horse battery staple', salt=salt, n=1024, r=8, p=1, dklen=32)
        ri = CTX(3, INT(0) + CTX(0, OID('1.3.6.1.4.1.11591.4.11') + SEQ(OCT(salt), INT(1024), INT(8), INT(1), INT(32)))
                 + SEQ(OID(AES256_WRAP)) + OCT(aes_key_wrap(kek, cek)))
        params.update(salt=hx(salt), key={'kind': 'password', 'password': 'correct horse battery staple'}, scrypt={'N': 1024, 'r': 8, 'p': 1})
    sealed = AESGCM(cek).encrypt(nonce, b''.join(records), None)
    aed = SEQ(INT(0), SET(ri), SEQ(OID('1.2.840.113549.1.7.1'), SEQ(OID('2.16.840.1.101.3.4.1.46'), SEQ(OCT(nonce), INT(16))),
                                   CTX(0, sealed[:-16], constructed=False)), OCT(sealed[-16:]))
    header = {'format': 'AKF', 'version': version, 'batchId': batch, 'issuer': 'Maker Ltd', 'recipient': 'Unified HES, Discom A',
              'created': created, 'notBefore': '2026-02-01T00:00:00Z', 'notAfter': '2026-08-01T00:00:00Z', 'count': len(records)}
    utc_time = T(0x17, (created[2:4] + created[5:7] + created[8:10] + created[11:13] + created[14:16] + created[17:19] + 'Z').encode())
    attrs = sorted([
        SEQ(OID('1.2.840.113549.1.9.3'), SET(OID('1.2.840.113549.1.9.16.1.23'))),
        SEQ(OID('1.2.840.113549.1.9.5'), SET(utc_time)),
        SEQ(OID('1.2.840.113549.1.9.4'), SET(OCT(H(aed)))),
        SEQ(OID('2.25.265057809100332247800140717047907525919'), SET(T(0x0C, json.dumps(header, separators=(',', ':')).encode()))),
        SEQ(OID('1.2.840.113549.1.9.16.2.47'), SET(SEQ(SEQ(SEQ(OCT(H(CERT))))))),
    ])
    attr_set = SET(*attrs)
    sig = MAKER.sign(attr_set, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    cert = x509.load_der_x509_certificate(CERT)
    sid = SEQ(cert.issuer.public_bytes(), INT(cert.serial_number))
    si = SEQ(INT(1), sid, SEQ(OID('2.16.840.1.101.3.4.2.1')), b'\xa0' + attr_set[1:], SEQ(OID('1.2.840.10045.4.3.2')), OCT(sig))
    sd = SEQ(INT(3), SET(SEQ(OID('2.16.840.1.101.3.4.2.1'))), SEQ(OID('1.2.840.113549.1.9.16.1.23'), CTX(0, OCT(aed))),
             CTX(0, CERT), SET(si))
    ci = SEQ(OID('1.2.840.113549.1.7.2'), CTX(0, sd))
    common = {'signerScalar': hx(scalar('maker')), 'certificate': hx(CERT), 'now': '2026-03-01T12:00:00Z'}
    return ci, header, {**common, **params}

SRC_CMS = 'hand-built-akf-cms'
cms = []
c1, ch1, cp1 = build_cms([REC_A, REC_B, REC_C], 'ecdh', 'c1')
cms.append({'name': 'kari (ECDH, RFC 5753 X9.63 KDF), three meters', 'source': SRC_CMS, 'hex': hx(c1),
            'decoded': {'header': ch1, 'count': 3, 'recipientInfo': 'kari', 'meters': [J_A, J_B, J_C]}, 'params': cp1})
c2, ch2, cp2 = build_cms([REC_B], 'kek', 'c2')
cms.append({'name': 'kekri (pre-shared 128-bit KEK), one meter', 'source': SRC_CMS, 'hex': hx(c2),
            'decoded': {'header': ch2, 'count': 1, 'recipientInfo': 'kekri', 'meters': [J_B]}, 'params': cp2})
c3, ch3, cp3 = build_cms([REC_A], 'password', 'c3')
cms.append({'name': 'pwri (scrypt N=1024), one meter', 'source': SRC_CMS, 'hex': hx(c3),
            'decoded': {'header': ch3, 'count': 1, 'recipientInfo': 'pwri', 'meters': [J_A]}, 'params': cp3})
def cneg(name, b, params, code):
    cms.append({'name': name, 'source': SRC_CMS, 'hex': hx(b), 'params': params, 'error': {'code': code}})
cneg('expired', c1, {**cp1, 'now': '2026-09-01T00:00:00Z'}, 'EXPIRED')
cneg('another HES key', c1, {**cp1, 'key': {'kind': 'ecdh', 'privateScalar': hx(scalar('other-hes'))}}, 'WRONG_RECIPIENT')
c4, _, cp4 = build_cms([REC_A], 'kek', 'c4', version=2)
cneg('akfHeader version 2', c4, cp4, 'UNSUPPORTED_VERSION')
c5, _, cp5 = build_cms([REC_A, REC_A], 'kek', 'c5')
cneg('the same meter twice (validly signed)', c5, cp5, 'DUPLICATE_METER')
t = bytearray(c2); t[-5] ^= 1
cneg('signature byte changed', bytes(t), cp2, 'BAD_SIGNATURE')
cneg('truncated by one byte', c2[:-1], cp2, 'INCOMPLETE')

def write(family, desc, sources, vectors):
    with open(os.path.join(OUT, family.split('/')[1] + '.json'), 'w') as f:
        json.dump({'family': family, 'description': desc, 'sources': sources, 'vectors': vectors}, f, indent=2)
        f.write('\n')
os.makedirs(OUT, exist_ok=True)
write('keyfile/record', 'One meter entry of an AKF/1 key file (the plaintext of the encrypted body): BER-length-prefixed TLV fields. JSON form: keys revealed as uppercase hex.',
      {SRC_REC: {'title': 'Hand-built from the AKF/1 record encoding', 'kind': 'hand-built', 'reference': 'docs/keyfile-spec.md §4 (record fields and tags); built by packages/keyfile/test/vectors/build_vectors.py, independent of the TypeScript code'}}, rec_vectors)
write('keyfile/akf', 'Whole AKF/1 key files (JSON container) with fixed keys and randomness. params: the opening key, the signer scalar and certificate, the CEK, base nonce and ephemeral scalar or salt drawn by the sealer, and the time to check validity at.',
      {SRC_AKF: {'title': 'Hand-built AKF/1 files (Python cryptography/OpenSSL, RFC 6979 signatures)', 'kind': 'hand-built', 'reference': 'docs/keyfile-spec.md §3 (container), §5 (key management); built by packages/keyfile/test/vectors/build_vectors.py with OpenSSL primitives, independent of the TypeScript code'}}, akf)
write('keyfile/cms', 'AKF/1 key files in the CMS form (AuthEnvelopedData inside SignedData, DER) with fixed keys and randomness; params as for keyfile/akf.',
      {SRC_CMS: {'title': 'Hand-built AKF/1 CMS files (DER by hand, OpenSSL primitives, RFC 6979 signatures)', 'kind': 'hand-built', 'reference': 'docs/keyfile-spec.md §6; RFC 5652 (SignedData), RFC 5083/5084 (AuthEnvelopedData, AES-GCM), RFC 5753 (kari), RFC 3211/7914 (pwri with scrypt), RFC 5035 (signingCertificateV2); built by packages/keyfile/test/vectors/build_vectors.py'}}, cms)
print('wrote', len(rec_vectors), 'record,', len(akf), 'akf and', len(cms), 'cms vectors')
