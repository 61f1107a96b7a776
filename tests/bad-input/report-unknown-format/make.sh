# A home with one format, so the list of known formats stays the same.
mkdir -p home/templates
ln -s "$SOURCE/templates/gov-2014" "$SOURCE/templates/_base" home/templates/
ln -s "$SOURCE/fonts" home/fonts
