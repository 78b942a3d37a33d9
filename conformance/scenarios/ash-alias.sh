# aliases in a script
alias hi='echo hi there'
eval hi
unalias hi
