# factor
factor 60 97 1001 65536
