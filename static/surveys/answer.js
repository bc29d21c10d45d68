/* Progressive enhancement: hide conditional questions until their condition holds.
   Without JavaScript they stay visible and the server ignores them when not applicable. */
(function(){
  var f=document.getElementById("encuesta");if(!f)return;
  var qs=f.querySelectorAll("[data-if-q]");
  function vals(n){var out=[];f.querySelectorAll('[name="'+n+'"]').forEach(function(e){
    if((e.type==="radio"||e.type==="checkbox")?e.checked:e.value)out.push(e.value)});return out}
  function update(){qs.forEach(function(el){
    var parent=document.getElementById("p-"+el.dataset.ifQ);
    var show=parent&&!parent.hidden&&vals(el.dataset.ifQ).indexOf(el.dataset.ifV)>=0;
    el.hidden=!show;el.disabled=!show;});}
  qs.forEach(function(el){var c=el.querySelector(".cond");if(c)c.hidden=true});
  f.addEventListener("change",update);update();
  var e=document.getElementById("errores");if(e)e.focus();
})();
