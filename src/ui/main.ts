const app = document.getElementById('app');
if (app) app.textContent = 'Diffuse: on-device diffusion (the app lands with the UI issue).';
