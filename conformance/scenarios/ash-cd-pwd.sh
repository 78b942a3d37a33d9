# cd, pwd, OLDPWD and cd -
cd /conf; pwd
cd data; pwd
cd ..; pwd
cd /; echo "$OLDPWD"
cd -
