cp "$SAMPLE" "$INPUT"
mkdir home
cp -r "$SOURCE/templates" home/
ln -sf /etc/passwd home/templates/gov-2014/report.mustache
echo "LINE=$(grep -n '^template:' home/templates/gov-2014/format.yaml | cut -d: -f1)" > vars
