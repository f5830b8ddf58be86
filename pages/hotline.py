import streamlit as st
st.title('hotline')
