import streamlit as st
st.title('street_map')
