import '../styles/base.css';
import '../styles/signin.css';

// The form works without script; this only puts the cursor where the person has to type next.
const error = document.getElementById('signin-error');
if (error) document.getElementById(document.getElementById('username').value ? 'password' : 'username')?.focus();
