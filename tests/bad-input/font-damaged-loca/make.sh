cp "$SAMPLE" "$INPUT"
mkdir -p home/fonts
cp -r "$SOURCE/templates" home/
cp "$SOURCE/fonts/fonts.yaml" home/fonts/
# AR PL KaitiM GB (fonts-arphic-gkai00mp) with the length of its loca table
# in the table directory halved
python3 - /usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf home/fonts/黑体.ttf <<'PY'
import struct, sys
data = bytearray(open(sys.argv[1], 'rb').read())
for i in range(struct.unpack('>H', data[4:6])[0]):
    at = 12 + 16 * i
    if data[at:at + 4] == b'loca':
        struct.pack_into('>I', data, at + 12, struct.unpack('>I', data[at + 12:at + 16])[0] // 2)
open(sys.argv[2], 'wb').write(data)
PY
