// The sign-in form works without script (the server puts the cursor where the person types next); this
// entry only brings the page's styles.
import '../styles/base.css';
import '../styles/signin.css';
