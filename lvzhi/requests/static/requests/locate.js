// 代表码上见: the 定位 button fills the location field from the phone's position, if allowed.
(function () {
  var b = document.getElementById("locate"), f = document.getElementById("id_location");
  if (!navigator.geolocation || !b || !f) return;
  b.hidden = false;
  b.addEventListener("click", function () {
    b.disabled = true;
    navigator.geolocation.getCurrentPosition(function (p) {
      f.value = "经纬度 " + p.coords.latitude.toFixed(5) + "," + p.coords.longitude.toFixed(5);
      b.disabled = false;
    }, function () { b.disabled = false; b.textContent = "无法定位"; }, {timeout: 8000});
  });
})();
