cp "$SAMPLE" "$INPUT"
mkdir -p home
cp -r "$SOURCE/templates" "$SOURCE/fonts" home/
echo "LINE=$(grep -n '^  - 黑体.ttf' home/fonts/fonts.yaml | cut -d: -f1)" > vars
# AR PL KaitiM GB (fonts-arphic-gkai00mp) with every glyph's place in its
# loca table moved past the end of its glyf table
python3 - /usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf home/fonts/黑体.ttf <<'PY'
import struct, sys
data = bytearray(open(sys.argv[1], 'rb').read())
tables = {}
for i in range(struct.unpack('>H', data[4:6])[0]):
    tag, _, offset, length = struct.unpack('>4sIII', data[12 + 16 * i:28 + 16 * i])
    tables[tag] = (offset, length)
loca, loca_len = tables[b'loca']
glyf_len = tables[b'glyf'][1]
for at in range(4, loca_len, 4):  # long offsets (indexToLocFormat 1)
    struct.pack_into('>I', data, loca + at, glyf_len + at)
open(sys.argv[2], 'wb').write(data)
PY
