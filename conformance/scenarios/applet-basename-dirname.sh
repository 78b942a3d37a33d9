# basename and dirname
basename /usr/local/bin/tool
basename /a/b/file.txt .txt
basename /
dirname /usr/local/bin/tool
dirname file
dirname /a/b/
