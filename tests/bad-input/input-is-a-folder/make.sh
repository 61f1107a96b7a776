# A folder where the report should be.
mkdir "$INPUT"
